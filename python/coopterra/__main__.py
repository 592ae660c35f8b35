import sys

from coopterra.cli import main

sys.exit(main())
