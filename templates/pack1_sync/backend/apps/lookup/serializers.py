from rest_framework import serializers


class LookupQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=200)


class LookupResultSerializer(serializers.Serializer):
    query = serializers.CharField()
    upstream_status = serializers.IntegerField()
    elapsed_ms = serializers.IntegerField()
    # DRF's metaclass takes declared fields off the class, so this field leaves the serializer's
    # own `data` property in place; mypy sees only the class body.
    data = serializers.JSONField()  # type: ignore[assignment]
