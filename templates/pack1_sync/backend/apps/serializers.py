"""Serializers shared by several apps' schemas."""

from rest_framework import serializers


class DetailSerializer(serializers.Serializer):
    """The error body DRF answers with: {"detail": "..."}."""

    detail = serializers.CharField()
