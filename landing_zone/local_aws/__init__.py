"""The local AWS API (a moto server on 127.0.0.1) and provider settings that target it."""
