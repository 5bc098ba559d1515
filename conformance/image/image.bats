#!/usr/bin/env bats
# oci-image end to end: images built by umoci and skopeo, unpacked and prepared by oci-image,
# compared with umoci's own unpack, run by the runtime, committed back.

load helpers
load ../lib/bytes

setup_file() {
  export LAYOUT="$BATS_FILE_TMPDIR/layout"
  make_images "$LAYOUT"
}

setup() {
  T=$(mktemp -d /tmp/oci-image-bats.XXXXXX)
  STORE=$T/store
  CID=oci-image-bats-$$-$BATS_TEST_NUMBER
}

teardown() {
  "$RUNTIME" delete -f "$CID" >/dev/null 2>&1 || true
  cleanup_dir "$T"
}

@test "unpack matches umoci unpack: paths, types, modes, owners, links, xattrs, content" {
  "$OCI_IMAGE" unpack "oci:$LAYOUT:base" "$T/ours"
  umoci unpack --image "$LAYOUT:base" "$T/theirs" >/dev/null
  tree "$T/ours/rootfs" >"$T/ours.tree"
  tree "$T/theirs/rootfs" >"$T/theirs.tree"
  diff -u "$T/theirs.tree" "$T/ours.tree"
  # The fixture really holds what the comparison is meant to cover.
  grep -q 'opt/app/su 0o104755' "$T/ours.tree"
  grep -q 'dev/loop7 0o60644 0:0 dev=7:7' "$T/ours.tree"
  grep -q 'xattr user.note=6869' "$T/ours.tree"
  grep -q 'hardlinks opt/app/added opt/app/added-link' "$T/ours.tree"
  ! grep -q 'var/cache/apt' "$T/ours.tree"
  ! grep -q 'srv/data/owned' "$T/ours.tree"
}

@test "prepare gives the same tree as unpack, through overlay" {
  "$OCI_IMAGE" unpack "oci:$LAYOUT:base" "$T/flat"
  "$OCI_IMAGE" prepare --store "$STORE" "oci:$LAYOUT:base" "$T/ov"
  findmnt -n -o FSTYPE "$T/ov/rootfs" | grep -qx overlay
  tree "$T/flat/rootfs" --no-root >"$T/flat.tree"
  tree "$T/ov/rootfs" --no-root >"$T/ov.tree"
  diff -u "$T/flat.tree" "$T/ov.tree"
  "$OCI_IMAGE" release "$T/ov"
  ! findmnt "$T/ov/rootfs"
  [ ! -e "$T/ov" ]
}

@test "run the unpacked bundle with the runtime" {
  "$OCI_IMAGE" unpack --hostname box "oci:$LAYOUT:base" "$T/b"
  run "$RUNTIME" run -b "$T/b" "$CID"
  [ "$status" -eq 0 ]
  [[ "$output" == *"hello from box"* ]]
  [[ "$output" == *"uid=1000(app) gid=1000(app) groups=10(wheel)"* ]]
}

@test "run a prepared bundle, commit what the container wrote, run the new image" {
  "$OCI_IMAGE" prepare --store "$STORE" "oci:$LAYOUT:base" "$T/b" --user 0 -- \
    /bin/sh -c 'echo made >/etc/made && rm /etc/motd && rm -r /opt/app'
  "$RUNTIME" run -b "$T/b" "$CID" >/dev/null
  "$RUNTIME" delete -f "$CID" >/dev/null 2>&1 || true
  "$OCI_IMAGE" commit --author bats -m "container changes" "$T/b" "oci:$LAYOUT:committed"
  "$OCI_IMAGE" ls "$LAYOUT" | grep -q '^committed'
  "$OCI_IMAGE" prepare --store "$STORE" "oci:$LAYOUT:committed" "$T/c" -- \
    /bin/sh -c 'cat /etc/made; test ! -e /etc/motd && test ! -e /opt/app && echo gone'
  run "$RUNTIME" run -b "$T/c" "$CID-2"
  "$RUNTIME" delete -f "$CID-2" >/dev/null 2>&1 || true
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = made ]
  [ "${lines[1]}" = gone ]
  # umoci reads our layer the same way.
  umoci unpack --image "$LAYOUT:committed" "$T/u" >/dev/null
  [ "$(cat "$T/u/rootfs/etc/made")" = made ]
  [ ! -e "$T/u/rootfs/opt/app" ]
  "$OCI_IMAGE" inspect "oci:$LAYOUT:committed" | jq -e '.layers | length == 3'
  "$OCI_IMAGE" release "$T/b" "$T/c"
}

@test "second prepare of a cached image reuses the store" {
  "$OCI_IMAGE" prepare --store "$STORE" "oci:$LAYOUT:base" "$T/one"
  before=$(ls "$STORE/sha256" | wc -l)
  "$OCI_IMAGE" prepare --store "$STORE" "oci:$LAYOUT:base" "$T/two"
  [ "$(ls "$STORE/sha256" | wc -l)" -eq "$before" ]
  [ "$before" -eq 2 ]
  "$OCI_IMAGE" release "$T/one"
  [ -z "$("$OCI_IMAGE" gc --store "$STORE")" ]
  "$OCI_IMAGE" release "$T/two"
  [ "$("$OCI_IMAGE" gc --store "$STORE" | wc -l)" -eq 2 ]
}

@test "docker-archive and oci-archive made by skopeo unpack to the same tree" {
  skopeo copy -q "oci:$LAYOUT:base" "docker-archive:$T/save.tar:busy:1" >/dev/null
  skopeo copy -q "oci:$LAYOUT:base" "oci-archive:$T/oci.tar:base" >/dev/null
  "$OCI_IMAGE" unpack "oci:$LAYOUT:base" "$T/a"
  "$OCI_IMAGE" unpack --tmpdir "$T" "docker-archive:$T/save.tar" "$T/d"
  "$OCI_IMAGE" unpack --tmpdir "$T" "oci-archive:$T/oci.tar:base" "$T/o"
  tree "$T/a/rootfs" >"$T/a.tree"
  tree "$T/d/rootfs" >"$T/d.tree"
  tree "$T/o/rootfs" >"$T/o.tree"
  diff -u "$T/a.tree" "$T/d.tree"
  diff -u "$T/a.tree" "$T/o.tree"
  jq -e '.process.args[2] | startswith("echo hello")' "$T/d/config.json"
  [ -z "$(ls "$T" | grep oci-image-archive)" ]
}

@test "config.json carries the image config" {
  "$OCI_IMAGE" unpack -e EXTRA=1 "oci:$LAYOUT:base" "$T/b"
  c=$T/b/config.json
  jq -e '.process.user == {"uid":1000,"gid":1000,"additionalGids":[10]}' "$c"
  jq -e '.process.env | index("GREETING=hi") and index("EXTRA=1")' "$c"
  jq -e '.annotations["org.opencontainers.image.title"] == "busy"' "$c"
  jq -e '.annotations["org.opencontainers.image.stopSignal"] == "SIGTERM"' "$c"
  jq -e '.annotations["org.opencontainers.image.exposedPorts"] == "80/tcp"' "$c"
  jq -e '.process.terminal == false and .root.path == "rootfs"' "$c"
}

@test "--network adds the oci-bridge hooks and the port annotation" {
  printf '#!/bin/sh\nexit 0\n' >"$T/oci-bridge" && chmod +x "$T/oci-bridge"
  "$OCI_IMAGE" unpack --network web -p 8080:80 -p 127.0.0.1:5353:53/udp \
    --bridge-path "$T/oci-bridge" "oci:$LAYOUT:base" "$T/b"
  c=$T/b/config.json
  jq -e --arg p "$T/oci-bridge" '.hooks.createRuntime[0] == {"path":$p,"args":["oci-bridge","--network","web"]}' "$c"
  jq -e '.hooks.poststop[0].args == ["oci-bridge","--network","web","--teardown"]' "$c"
  jq -e '.annotations["hull.net.ports"] == "8080:80/tcp,127.0.0.1:5353:53/udp"' "$c"
  [ -f "$T/b/rootfs/etc/resolv.conf" ]
  [ -f "$T/b/rootfs/etc/hosts" ]
  # The hooks run: the runtime accepts the config and the container still starts.
  run "$RUNTIME" run -b "$T/b" "$CID"
  [ "$status" -eq 0 ]
  run "$OCI_IMAGE" unpack --network web -p 80 --bridge-path "$T/oci-bridge" "oci:$LAYOUT:base" "$T/x"
  [ "$status" -ne 0 ]
  [[ "$output" == *'-p "80"'* ]]
  [ ! -e "$T/x" ]
}

@test "rootless unpack: user namespace config, devices skipped, owners mapped" {
  run "$OCI_IMAGE" unpack --rootless --uid-map 0:100000:65536 --gid-map 0:100000:65536 \
    "oci:$LAYOUT:base" "$T/b"
  [ "$status" -eq 0 ]
  [[ "$output" == *"device node dev/null skipped"* ]]
  [ ! -e "$T/b/rootfs/dev/null" ]
  [ "$(stat -c %u:%g "$T/b/rootfs/opt/app/added")" = 100000:100000 ]
  [ "$(stat -c %u "$T/b/rootfs/srv/data")" = 100000 ] || [ "$(stat -c %u "$T/b/rootfs/srv/data")" = 100000 ]
  jq -e '.linux.uidMappings == [{"containerID":0,"hostID":100000,"size":65536}]' "$T/b/config.json"
  jq -e '.linux.namespaces | map(.type) | index("user")' "$T/b/config.json"
}

@test "a damaged layer is refused by name and leaves nothing behind" {
  cp -a "$LAYOUT" "$T/layout"
  blob=$("$OCI_IMAGE" inspect "oci:$T/layout:base" | jq -r '.layers[1].digest')
  f=$T/layout/blobs/sha256/${blob#sha256:}
  flip_byte "$f" 100
  run "$OCI_IMAGE" unpack "oci:$T/layout:base" "$T/b"
  [ "$status" -ne 0 ]
  [[ "$output" == *"$blob"* ]]
  [ ! -e "$T/b" ]
  run "$OCI_IMAGE" prepare --store "$STORE" "oci:$T/layout:base" "$T/b"
  [ "$status" -ne 0 ]
  [[ "$output" == *"$blob"* ]]
  [ ! -e "$T/b" ]
  ! findmnt "$T/b/rootfs"
  rm "$f"
  run "$OCI_IMAGE" unpack "oci:$T/layout:base" "$T/b"
  [ "$status" -ne 0 ]
  [[ "$output" == *"$blob"* ]]
}

@test "bad references give clear errors" {
  run "$OCI_IMAGE" unpack "oci:$LAYOUT:nope" "$T/b"
  [ "$status" -ne 0 ]
  [[ "$output" == *'no image tagged "nope"'* ]]
  run "$OCI_IMAGE" unpack "docker://busybox" "$T/b"
  [ "$status" -ne 0 ]
  [[ "$output" == *"unsupported transport"* ]]
  run "$OCI_IMAGE" unpack "oci:$T/missing" "$T/b"
  [ "$status" -ne 0 ]
  [[ "$output" == *"not an OCI image layout"* ]]
  run "$OCI_IMAGE" release "$T"
  [ "$status" -ne 0 ]
  [[ "$output" == *"not a bundle made by oci-image"* ]]
  [ ! -e "$T/b" ]
}

@test "index, manifest and config nested 100000 levels deep are refused by name (issue 16)" {
  cp -a "$LAYOUT" "$T/layout"
  L=$T/layout
  printf '%*s' 100000 '' | tr ' ' '[' >"$T/deep.json"
  printf '%*s' 100000 '' | tr ' ' ']' >>"$T/deep.json"
  # add_blob FILE: stores FILE as a blob, prints "DIGEST SIZE"
  add_blob() {
    local d
    d=$(sha256sum "$1" | cut -d' ' -f1)
    cp "$1" "$L/blobs/sha256/$d"
    echo "sha256:$d $(stat -c %s "$1")"
  }
  read -r deep size < <(add_blob "$T/deep.json")
  base=$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "base")
    | .digest' "$L/index.json")
  jq --arg d "$deep" --argjson s "$size" '.config.digest = $d | .config.size = $s' \
    "$L/blobs/sha256/${base#sha256:}" >"$T/manifest.json"
  read -r man msize < <(add_blob "$T/manifest.json")
  jq --arg m "$man" --argjson ms "$msize" --arg d "$deep" --argjson s "$size" '.manifests += [
      {mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $m, size: $ms,
       annotations: {"org.opencontainers.image.ref.name": "deepconfig"}},
      {mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $d, size: $s,
       annotations: {"org.opencontainers.image.ref.name": "deepmanifest"}}]' \
    "$L/index.json" >"$T/index.json"
  mv "$T/index.json" "$L/index.json"
  for tag in deepconfig deepmanifest; do
    run "$OCI_IMAGE" unpack "oci:$L:$tag" "$T/b"
    [ "$status" -ne 0 ]
    [[ "$output" == *"$deep"*"nested deeper than 1000 levels"* ]] || {
      echo "$tag: $output"
      false
    }
    [ ! -e "$T/b" ]
  done
  cp "$T/deep.json" "$L/index.json"
  run "$OCI_IMAGE" unpack "oci:$L:base" "$T/b"
  [ "$status" -ne 0 ]
  [[ "$output" == *"$L/index.json: JSON nested deeper than 1000 levels"* ]]
  [ ! -e "$T/b" ]
}

@test "an index.json over 16 MiB is refused by name by unpack and ls, nothing made" {
  cp -a "$LAYOUT" "$T/layout"
  L=$T/layout
  # valid JSON up to the limit and past it: only the size can be the reason
  { printf '{"schemaVersion":2,"manifests":[],"x":"'; head -c $((17 << 20)) /dev/zero | tr '\0' a; printf '"}'; } >"$L/index.json"
  for cmd in "unpack oci:$L:base $T/b" "ls $L"; do
    run "$OCI_IMAGE" $cmd
    [ "$status" -ne 0 ]
    [[ "$output" == *"$L/index.json: larger than 16 MiB"* ]] || {
      echo "$cmd: $output"
      false
    }
  done
  [ ! -e "$T/b" ]
}

@test "layers 2000 deep (every directory listed) unpack, prepare, commit, release and gc" {
  cp -a "$LAYOUT" "$T/layout"
  add_layer "$T/layout" base deep deep 2000
  "$OCI_IMAGE" unpack "oci:$T/layout:deep" "$T/flat"
  [ "$(deep_leaf "$T/flat/rootfs")" = "2000 leaf deep" ]
  "$OCI_IMAGE" prepare --store "$STORE" "oci:$T/layout:deep" "$T/ov"
  [ "$(deep_leaf "$T/ov/rootfs")" = "2000 leaf deep" ]
  # The container's change at the bottom goes into a new layer and comes back out of it.
  deep_write "$T/ov/rootfs" added yes
  "$OCI_IMAGE" commit "$T/ov" "oci:$T/layout:deeper"
  "$OCI_IMAGE" unpack "oci:$T/layout:deeper" "$T/again"
  [ "$(deep_leaf "$T/again/rootfs")" = "2000 added leaf yes deep" ]
  "$OCI_IMAGE" release "$T/flat" "$T/ov" "$T/again"
  [ ! -e "$T/flat" ]
  [ ! -e "$T/ov" ]
  [ ! -e "$T/again" ]
  [ "$("$OCI_IMAGE" gc --store "$STORE" | wc -l)" -eq 3 ]
  [ -z "$(ls -A "$STORE/sha256")" ]
}

@test "a layer 5000 deep with its parents implied unpacks and releases" {
  cp -a "$LAYOUT" "$T/layout"
  add_layer "$T/layout" base deep deep 5000 --no-dirs
  "$OCI_IMAGE" unpack "oci:$T/layout:deep" "$T/b"
  [ "$(deep_leaf "$T/b/rootfs")" = "5000 leaf deep" ]
  [ -f "$T/b/rootfs/bin/busybox" ]
  "$OCI_IMAGE" release "$T/b"
  [ ! -e "$T/b" ]
}

@test "a layer failing half way names the layer and the member and leaves nothing behind" {
  cp -a "$LAYOUT" "$T/layout"
  add_layer "$T/layout" base bad halfway
  blob=$("$OCI_IMAGE" inspect "oci:$T/layout:bad" | jq -r '.layers[2].digest')
  run "$OCI_IMAGE" unpack "oci:$T/layout:bad" "$T/b"
  [ "$status" -ne 0 ]
  [[ "$output" == *"layer 2 ($blob): member evil: hardlink target etc/never-made does not exist"* ]]
  [ ! -e "$T/b" ]
  run "$OCI_IMAGE" prepare --store "$STORE" "oci:$T/layout:bad" "$T/b"
  [ "$status" -ne 0 ]
  [[ "$output" == *"layer 2 ($blob): member evil: hardlink target etc/never-made does not exist"* ]]
  [ ! -e "$T/b" ]
  [ -z "$(mounts_below "$T")" ]
  # The good layers this prepare extracted went with it; no half layer is left in tmp/.
  [ -z "$(ls -A "$STORE/sha256")" ]
  [ -z "$(ls -A "$STORE/tmp")" ]
}

@test "release removes a bundle whose unpack was killed half way" {
  cp -a "$LAYOUT" "$T/layout"
  add_layer "$T/layout" base big big
  blob=$("$OCI_IMAGE" inspect "oci:$T/layout:big" | jq -r '.layers[2].digest')
  f=$T/layout/blobs/sha256/${blob#sha256:}
  mv "$f" "$T/blob" && mkfifo "$f"
  # The layer arrives through a fifo: its first 2 MiB (all of "first", part of "second"), then
  # nothing more while the fifo stays open.
  "$OCI_IMAGE" unpack "oci:$T/layout:big" "$T/b" 2>/dev/null &
  pid=$!
  exec 8>"$f"
  head -c 2M "$T/blob" >&8
  while [ ! -e "$T/b/rootfs/first" ] && kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  kill -0 "$pid"
  kill -9 "$pid"
  wait "$pid" || true
  exec 8>&-
  [ -e "$T/b/.oci-image/incomplete" ]
  [ ! -e "$T/b/config.json" ]
  [ -f "$T/b/rootfs/bin/busybox" ]
  "$OCI_IMAGE" release "$T/b"
  [ ! -e "$T/b" ]
}

@test "gc keeps the layers under a running container whose prepared bundle was moved" {
  "$OCI_IMAGE" prepare --store "$STORE" "oci:$LAYOUT:base" "$T/b" --user 0 -- /bin/sleep 100000
  mv "$T/b" "$T/moved"
  "$RUNTIME" create -b "$T/moved" "$CID" </dev/null >/dev/null 2>&1
  "$RUNTIME" start "$CID"
  findmnt -n -o FSTYPE "$T/moved/rootfs" | grep -qx overlay
  # Its record names the old path: only the live overlay mount says the layers are in use.
  [ -z "$("$OCI_IMAGE" gc --store "$STORE")" ]
  [ "$(ls "$STORE/sha256" | wc -l)" -eq 2 ]
  "$RUNTIME" exec "$CID" /bin/busybox true
  "$RUNTIME" exec "$CID" /bin/sh -c 'test -x /bin/busybox && test "$(cat /etc/motd)" = new'
  "$RUNTIME" delete -f "$CID"
  # Still mounted on the host after the container is gone: still kept.
  [ -z "$("$OCI_IMAGE" gc --store "$STORE")" ]
  "$OCI_IMAGE" release "$T/moved"
  [ ! -e "$T/moved" ]
  [ "$("$OCI_IMAGE" gc --store "$STORE" | wc -l)" -eq 2 ]
  [ -z "$(ls -A "$STORE/sha256")" ]
}

@test "errors show a bounded, escaped part of an untrusted name" {
  cp -a "$LAYOUT" "$T/layout"
  # libarchive refuses PAX headers over 1 MiB; before, this name filled a 900 KB error line.
  add_layer "$T/layout" base long longname 900000
  run "$OCI_IMAGE" unpack "oci:$T/layout:long" "$T/b"
  [ "$status" -ne 0 ]
  [ "${#lines[@]}" -eq 1 ]
  [ "${#output}" -lt 600 ]
  [[ "$output" == *"member xxxxxxxx"*"xxxx (900000 bytes): creating file: File name too long" ]]
  [ ! -e "$T/b" ]
  add_layer "$T/layout" base ctrl ctrl
  run "$OCI_IMAGE" unpack "oci:$T/layout:ctrl" "$T/b"
  [ "$status" -ne 0 ]
  [ "${#lines[@]}" -eq 1 ]
  [[ "$output" == *'member evil: hardlink target no\x1b[2Jpe\x0ax\\y does not exist: refused' ]]
  [ ! -e "$T/b" ]
}
