"""CloudTrail DeleteTrail by ARN.

AWS accepts a trail's name or ARN in DeleteTrail; the AWS provider (5.x) passes
the ARN, its resource id. moto 5.2 looks only for the name and silently keeps
the trail, so a destroyed organization trail would survive in the local API.
"""

from __future__ import annotations


def install() -> None:
    from moto.cloudtrail.models import CloudTrailBackend

    original = CloudTrailBackend.delete_trail
    if getattr(original, "_lz_by_arn", False):
        return

    def delete_trail(self, name: str) -> None:
        for key, trail in list(self.trails.items()):
            if trail.arn == name:
                name = key
        original(self, name)

    delete_trail._lz_by_arn = True  # type: ignore[attr-defined]  # marks moto's patched code so it is patched once
    CloudTrailBackend.delete_trail = delete_trail  # type: ignore[method-assign]  # patches moto's class at run time
