"""Reading what is deployed: the live organization (boto3; no cdktf)."""
