#!/bin/sh
# The project's own release script: the files it rewrites, by hand.
set -eu
old="$1"; new="$2"; old_py="$3"; new_py="$4"
sed -i "s/^version = \"$old\"/version = \"$new\"/" Cargo.toml bindings/node/Cargo.toml
sed -i "s/version = \"$old\";/version = \"$new\";/" flake.nix
sed -i "s/^version = $old_py/version = $new_py/" python/setup.cfg
sed -i "s/__version__ = \"$old_py\"/__version__ = \"$new_py\"/" python/quill/_version.py
sed -i "s/__version__ = \"$old\"/__version__ = \"$new\"/" bindings/py-semver/quill_sys/__init__.py
sed -i "s/android:versionName=\"$old\"/android:versionName=\"$new\"/" android/app/src/main/AndroidManifest.xml
sed -i "s/#define QUILL_VERSION \"$old\"/#define QUILL_VERSION \"$new\"/" include/quill/version.h
