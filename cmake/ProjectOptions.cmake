# Per-target settings shared by every PromptScope library and executable.
# promptscope_set_target_options(<target>) applies warnings, strict Qt definitions and sanitizers.

add_library(promptscope_options INTERFACE)
target_compile_options(promptscope_options INTERFACE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
if(PROMPTSCOPE_WERROR)
  target_compile_options(promptscope_options INTERFACE -Werror)
endif()
target_compile_definitions(promptscope_options INTERFACE
  QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII QT_USE_QSTRINGBUILDER QT_NO_KEYWORDS QT_NO_FOREACH
  QT_DISABLE_DEPRECATED_BEFORE=0x060400)
if(PROMPTSCOPE_SANITIZE)
  target_compile_options(promptscope_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(promptscope_options INTERFACE -fsanitize=address,undefined)
endif()

function(promptscope_set_target_options target)
  target_link_libraries(${target} PRIVATE promptscope_options)
endfunction()
