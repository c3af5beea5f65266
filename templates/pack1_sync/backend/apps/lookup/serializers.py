from rest_framework import serializers


class LookupQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=200)


class LookupResultSerializer(serializers.Serializer):
    query = serializers.CharField()
    upstream_status = serializers.IntegerField()
    elapsed_ms = serializers.IntegerField()
    data = serializers.JSONField()
