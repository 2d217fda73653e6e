"""The domain finds the window's data folder without Qt: the verdicts live beside the
added sources, in the folder QStandardPaths gives the window."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from defectors_catalog import APP_NAME, paths
from defectors_catalog.gui.launch import user_data_dir
from PySide6.QtCore import QCoreApplication


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG_DATA_HOME is Linux's")
def test_the_domain_and_the_window_agree_on_the_data_folder(qapp, tmp_path, monkeypatch):
    monkeypatch.delenv(paths.DATA_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    organisation, application = (
        QCoreApplication.organizationName(),
        QCoreApplication.applicationName(),
    )
    # As the window names itself at start (gui/launch.run_gui).
    QCoreApplication.setOrganizationName(paths.ORGANISATION)
    QCoreApplication.setApplicationName(APP_NAME)
    try:
        assert user_data_dir() == paths.user_data_dir()
        assert paths.user_data_dir() == Path(tmp_path / "share" / paths.ORGANISATION / APP_NAME)
    finally:
        QCoreApplication.setOrganizationName(organisation)
        QCoreApplication.setApplicationName(application)
