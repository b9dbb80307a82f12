"""Content events: the Event record, the bus adapters, the outbox publisher and the worker."""
