"""Every publisher the replica web holds, one module each."""

from replica.server import ReplicaWeb
from replica.sites import zibo_kjj


def replica_web() -> ReplicaWeb:
    return ReplicaWeb([zibo_kjj.site()])
