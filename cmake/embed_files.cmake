# Turns text files (SQL migrations) into a C++ source with one string per file,
# so the binary carries its schema and needs nothing beside it to migrate.
function(egovbox_embed_files OUTPUT NAMESPACE)
  set(inputs ${ARGN})
  add_custom_command(
    OUTPUT ${OUTPUT}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${OUTPUT} -DNAMESPACE=${NAMESPACE}
            "-DINPUTS=${inputs}" -P ${PROJECT_SOURCE_DIR}/cmake/write_embedded.cmake
    DEPENDS ${inputs} ${PROJECT_SOURCE_DIR}/cmake/write_embedded.cmake
    VERBATIM)
endfunction()
