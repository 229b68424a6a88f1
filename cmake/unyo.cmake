# Helpers: one library target per module, one test helper. Everything is target-scoped.

function(unyo_warnings target)
  # No -Wpedantic: UNYO_TRY uses GNU statement expressions (core/error.hpp).
  # No -Wmaybe-uninitialized: g++ 12 reports false positives on moved std::variant values at -O2
  # (GCC bug 107138 and relatives), which -Werror would turn into failed builds.
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wshadow -Wnon-virtual-dtor
                                           -Wno-missing-field-initializers -Wno-maybe-uninitialized)
  if(UNYO_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# unyo_add_module(NAME core SOURCES a.cpp b.cpp DEPS x y)
function(unyo_add_module)
  cmake_parse_arguments(M "" "NAME" "SOURCES;DEPS" ${ARGN})
  add_library(unyo_${M_NAME} STATIC ${M_SOURCES})
  target_include_directories(unyo_${M_NAME} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(unyo_${M_NAME} PUBLIC ${M_DEPS})
  unyo_warnings(unyo_${M_NAME})
endfunction()

# unyo_add_test(NAME storage_test SOURCES a_test.cpp DEPS unyo_storage LABELS unit)
function(unyo_add_test)
  cmake_parse_arguments(T "" "NAME" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  unyo_warnings(${T_NAME})
  gtest_discover_tests(${T_NAME} PROPERTIES LABELS "${T_LABELS}" DISCOVERY_TIMEOUT 30)
endfunction()

# Embeds every NNNN_*.sql of a dialect folder into a generated C++ source.
function(unyo_embed_migrations out_var)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/migrations_embedded.cpp)
  file(GLOB sqlite_files CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/migrations/sqlite/*.sql)
  file(GLOB pg_files CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/migrations/postgres/*.sql)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DDIR=${CMAKE_CURRENT_SOURCE_DIR}/migrations
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_migrations.cmake
    DEPENDS ${sqlite_files} ${pg_files} ${PROJECT_SOURCE_DIR}/cmake/embed_migrations.cmake
    COMMENT "Embedding SQL migrations")
  set(${out_var} ${out} PARENT_SCOPE)
endfunction()
