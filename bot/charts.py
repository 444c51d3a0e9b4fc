"""PNG line charts for /figures … chart. matplotlib is an optional extra (`govbot[charts]`)."""

from __future__ import annotations

import io

from commands.replies import ChartRequest

INSTALL_HINT = "Charts need the optional plotting extra: pip install -e '.[charts]'"


def charts_available() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def render_png(chart: ChartRequest) -> bytes:
    """The series as a line chart; gaps (unpublished figures) stay gaps."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=100)
    try:
        for label, points in chart.series.items():
            xs = [p for p, _ in points]
            ys = [float("nan") if v is None else v for _, v in points]
            ax.plot(xs, ys, marker="o", label=label)
        ax.set_title(chart.title)
        ax.grid(alpha=0.3)
        ax.legend(loc="best", fontsize="small")
        fig.autofmt_xdate()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", bbox_inches="tight")
        return buffer.getvalue()
    finally:
        plt.close(fig)
