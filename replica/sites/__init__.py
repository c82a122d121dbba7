"""Every publisher the replica web holds: each module here declares one site with a `site()` function."""

import importlib
import pkgutil

from replica.server import ReplicaWeb


def replica_web() -> ReplicaWeb:
    sites = [
        importlib.import_module(f"{__name__}.{module.name}").site()
        for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name)
    ]
    return ReplicaWeb(sites)
