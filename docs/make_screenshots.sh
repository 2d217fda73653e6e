#!/bin/sh
# Retakes every README screenshot, each set on its own virtual screen with a window
# manager (openbox), as a person's desktop would frame the window.
# Needs: apt-get install xvfb openbox imagemagick
set -eu
here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON:-python3}
shoot() {  # screen, scale, set
    xvfb-run -a -s "-screen 0 $1x24" sh -c \
        "openbox & sleep 1; QT_SCALE_FACTOR=$2 '$python' '$here/make_screenshots.py' $3"
}
shoot 1600x1000 1 main
shoot 1600x1000 1 dark
shoot 1024x700 1 small
shoot 2400x1600 2 2x
shoot 1600x1000 1 verdicts
