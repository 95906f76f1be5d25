"""`python -m landing_zone.checks`: print this folder, for plain checkov runs:

    checkov -d cdktf.out --framework terraform_json --skip-download \\
        --external-checks-dir "$(python -m landing_zone.checks)"

(checkov skips files whose names start with `__`, so this is not loaded as a check.)
"""

from pathlib import Path

print(Path(__file__).resolve().parent)
