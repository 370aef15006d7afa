"""``python -m kazreader``."""

from kazreader.cli import main

raise SystemExit(main())
