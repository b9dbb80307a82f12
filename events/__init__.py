"""The platform's event pipeline: the Event record, the bus (interface, factory, adapters), the outbox, the worker."""
