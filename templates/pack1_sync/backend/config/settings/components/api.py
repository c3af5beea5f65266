"""Django REST framework and the OpenAPI schema the frontend's typed client is generated from."""

REST_FRAMEWORK = {
    # Browser sessions only: the Next.js server forwards the session cookie, and CSRF protects
    # unsafe methods. No tokens to leak into JavaScript.
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        *(["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    # frontend/openapi.yml is a committed export of this schema: after renaming the API, export
    # it again and regenerate the types (frontend/README.md).
    "TITLE": "Backend API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Separate request and response components, so read-only fields are not required input.
    "COMPONENT_SPLIT_REQUEST": True,
    # Stable names for the typed client, instead of generated ones such as "StatusA3dEnum".
    "ENUM_NAME_OVERRIDES": {
        "ReportStatusEnum": "apps.reports.models.Report.Status",
        "HealthStatusEnum": ["ok", "error"],
    },
}
