# Fails when README.md or a docs/*.md file names a file by a path on a particular machine (/work/..., /home/...,
# /Users/...): shared files are ../shared/NAME.
file(GLOB docs ${ROOT}/docs/*.md)
set(bad "")
foreach(doc ${ROOT}/README.md ${docs})
  file(STRINGS ${doc} lines REGEX "(^|[ `(\"'])/(work|home|Users|root)/")
  foreach(line IN LISTS lines)
    file(RELATIVE_PATH rel ${ROOT} ${doc})
    string(APPEND bad "\n  ${rel}: ${line}")
  endforeach()
endforeach()
if(bad)
  message(FATAL_ERROR "machine paths in the documentation (name shared files as ../shared/NAME):${bad}")
endif()
