# Writes the version header with the current git revision at every build (not only at configure
# time), touching the file only when its text changes, so the provenance of results is exact.
set(COOPTERRA_GIT_REVISION "unknown")
find_package(Git QUIET)
if(GIT_FOUND AND EXISTS "${SOURCE_DIR}/.git")
  execute_process(COMMAND "${GIT_EXECUTABLE}" describe --always --dirty --abbrev=40
    WORKING_DIRECTORY "${SOURCE_DIR}" OUTPUT_VARIABLE COOPTERRA_GIT_REVISION
    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
endif()
configure_file("${INPUT}" "${OUTPUT}.tmp" @ONLY)
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
