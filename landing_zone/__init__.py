"""landing_zone: an AWS multi-account landing zone as cdktf constructs, from one YAML file per environment."""

__version__ = "0.1.0"
