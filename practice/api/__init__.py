"""API conventions shared by every app: envelope, errors, pagination, permissions,
throttles and the OpenAPI schema that describes them."""
