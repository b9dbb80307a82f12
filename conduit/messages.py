"""Every message text the tenant API answers with, in one table: one vocabulary for every frontend.

The wording is RealWorld's (`{"errors": {"title": ["can't be blank"]}}`). Field names are the error keys; the texts
here never name the field. Accounts, content, search and media take their texts from here, by key.
"""

MESSAGES = {
    # input
    "blank": "can't be blank",
    "invalid": "is invalid",
    "too_long": "is too long (maximum is {max_length} characters)",
    "too_short": "is too short (minimum is {min_length} characters)",
    "too_many": "is too long (maximum is {max_length} items)",
    "not_a_list": "must be a list",
    "not_an_object": "must be an object",
    "not_included": "is not included in the list",
    "not_an_integer": "must be an integer",
    "at_most": "must be less than or equal to {max_value}",
    "at_least": "must be greater than or equal to {min_value}",
    "between": "must be between {low} and {high}",
    "http_url": "must be an http or https URL",
    "too_large": "is too large",
    "cannot_follow_self": "cannot follow yourself",
    # site settings and owners (publishing)
    "hex_color": "must be a colour in the form #rrggbb",
    "language_tag": "must be a language tag such as en, pt-BR or zh-Hant-TW",
    "time_zone": "must be a time zone name such as UTC or Europe/Paris",
    "image_media": "must be the id of an image uploaded to this site",
    "owner_only": "must be an owner of this site",
    "not_an_owner": "is not an owner of this site",
    "last_owner": "is the site's last owner: grant the role to another user first",
    # scheduled publishing (content): the `publishAt` field
    "publish_at_format": "must be an ISO 8601 date-time with a UTC offset, e.g. 2026-12-24T09:00:00+01:00",
    "publish_at_future": "must be in the future",
    "publish_at_required": "is required when status is scheduled",
    "publish_at_unexpected": "is only allowed with status scheduled",
    # state
    "taken": "has already been taken",
    "not_found": "not found",
    "forbidden": "forbidden",
    # authentication
    "token_missing": "is missing",
    "token_invalid": "is invalid",
    # media uploads
    "file_required": "is required: send the file as the multipart/form-data field 'file'.",
    "upload_too_large": "the upload is larger than the {limit} limit.",
    # whole-request errors (no field)
    "bad_request": "Bad request.",
    "route_not_found": "Not found.",
    "route_forbidden": "Forbidden.",
    "server_error": "Internal server error.",
    "busy": "a concurrent change to the same data conflicted with this one; nothing was saved, try again",
}

# DRF field error codes → texts, for the input fields of the tenant API (see content/serializers.py).
FIELD_ERRORS = {
    "required": MESSAGES["blank"],
    "blank": MESSAGES["blank"],
    "null": MESSAGES["blank"],
    "invalid": MESSAGES["invalid"],
    "max_length": MESSAGES["too_long"],
    "min_length": MESSAGES["too_short"],
    "max_string_length": MESSAGES["too_large"],
    "not_a_list": MESSAGES["not_a_list"],
    "empty": MESSAGES["blank"],
    "invalid_choice": MESSAGES["not_included"],
    "max_value": MESSAGES["at_most"],
    "min_value": MESSAGES["at_least"],
}


def message(key: str, **params) -> str:
    """The text for `key`, with `{params}` filled in; an unknown key is a programming error (KeyError)."""
    text = MESSAGES[key]
    return text.format(**params) if params else text
