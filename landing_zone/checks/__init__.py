"""Custom checkov checks for landing-zone resources, one per file (ids CKV_LZ_*).

Load them with `checkov --external-checks-dir <this folder>` (`lz scan` does):
checkov imports every `.py` file here and reads every `.yaml` graph check.
Each check has a passing and a failing fixture in tests/checks/fixtures/.
"""
