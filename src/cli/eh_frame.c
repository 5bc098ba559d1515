/* Static binaries only (see src/cli/meson.build). crtbeginT.o registers the whole .eh_frame with
 * __register_frame_info, and libgcc then sorts every FDE of the binary on the first exception a
 * process throws: ~3-5 ms and ~40 page faults for `--version` (CLI11 throws to print it) and
 * for every error path. Linked with --eh-frame-hdr, the binary carries the sorted table that
 * dynamic programs use, and the unwinder finds it through dl_iterate_phdr once nothing is
 * registered: these two replace the registration (via --wrap) with nothing. */
struct object;
void __wrap___register_frame_info(const void* begin, struct object* ob);
void* __wrap___deregister_frame_info(const void* begin);

void __wrap___register_frame_info(const void* begin, struct object* ob) {
  (void)begin;
  (void)ob;
}

void* __wrap___deregister_frame_info(const void* begin) {
  (void)begin;
  return 0;
}
