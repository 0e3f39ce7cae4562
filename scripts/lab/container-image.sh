#!/usr/bin/env bash
# Builds the local test image localhost/hangar-busybox:latest (no registry is reachable
# here; shared/notes/host-lab.md): a rootfs with busybox-static, a symlink in /bin for
# every applet, /bin/sh, /etc/passwd with root and a /tmp, imported with podman import.
# Also keeps the rootfs tar at $HANGAR_LAB_DIR/images/hangar-busybox.tar (the image-upload
# test sends it). Does nothing when both the image and the tar exist.
. "$(dirname "$0")/common.sh"
image=localhost/hangar-busybox:latest
tar=$HANGAR_LAB_DIR/images/hangar-busybox.tar
need_pkgs podman busybox-static

have_image() { podman image exists "$image" 2>/dev/null; }
if [ -s "$tar" ] && have_image; then log "image $image present ($tar)"; exit 0; fi

if [ ! -s "$tar" ]; then
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  root=$work/rootfs
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,root,proc,sys,dev,var,tmp}
  chmod 1777 "$root/tmp"; chmod 0700 "$root/root"
  cp /bin/busybox "$root/bin/busybox"
  for a in $(/bin/busybox --list); do
    [ "$a" = busybox ] || ln -sf busybox "$root/bin/$a"
  done
  ln -sf busybox "$root/bin/sh"
  ln -sf ../../bin/env "$root/usr/bin/env"   # for "#!/usr/bin/env" scripts
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
  mkdir -p "$(dirname "$tar")"
  tar -C "$root" --numeric-owner --owner=0 --group=0 -cf "$tar.tmp" . || die "could not pack the rootfs"
  mv "$tar.tmp" "$tar"
  log "rootfs packed: $tar ($(du -h "$tar" | cut -f1))"
fi

if ! have_image; then
  podman import --quiet \
    --change 'CMD ["/bin/sh"]' \
    --change 'ENV PATH=/bin:/sbin:/usr/bin' \
    "$tar" "$image" >/dev/null || die "podman import $tar failed"
  log "image $image imported"
fi
