"""Run the application with uvicorn."""
from __future__ import annotations


def run(app, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve ``app`` until interrupted; access logs off (queries can be personal), warnings on."""
    import uvicorn

    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, server_header=False)
