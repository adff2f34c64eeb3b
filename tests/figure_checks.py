"""Helpers for tests that inspect figures drawn by cnnmath.plotting."""


def patches_with_gid(ax, gid):
    """The patches a figure helper tagged with ``gid`` (window, tap, padding, ...)."""
    return [p for p in ax.patches if p.get_gid() == gid]
