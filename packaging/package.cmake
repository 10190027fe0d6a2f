# The Debian package of the plugin, for the Wireshark it is built against
# (docs/install.md):
#
#   cmake --build build --target package
#
# makes build/tcpstate-wireshark<MAJOR.MINOR>_<version>_<arch>.deb. It puts
# tcpstate.so into that Wireshark's global plugin dir (the dir of Wireshark's
# own CMake config, relative to /usr) and depends on the libwireshark package
# of the same ABI (libwireshark16 for 4.0, libwireshark18 for 4.4): Wireshark
# loads a plugin only if it was built for its major.minor version.
# Included by the top-level CMakeLists.txt after plugin/, which sets
# TCPSTATE_WS_ABI and TCPSTATE_WS_SONAME.

set(TCPSTATE_MAINTAINER "tcpstate maintainers <maintainers@users.noreply.r-seed-426836c5.example>"
  CACHE STRING "Maintainer field of the Debian package")
set(TCPSTATE_LICENSE "GPL-2.0-or-later" CACHE STRING
  "License of the packaged plugin (a Wireshark plugin links libwireshark, GPL-2.0-or-later)")

set(pkg "tcpstate-wireshark${TCPSTATE_WS_ABI}")
# Debian names a shared library's package after its soname: libwireshark.so.18
# is in libwireshark18.
string(REGEX REPLACE "^libwireshark\\.so\\.([0-9]+)$" "libwireshark\\1" ws_abi_package
  "${TCPSTATE_WS_SONAME}")
if(NOT CMAKE_SYSTEM_NAME STREQUAL "Linux" OR NOT ws_abi_package MATCHES "^libwireshark[0-9]+$")
  # Not a Debian-style Linux libwireshark (macOS, Windows): no package target.
  message(STATUS "No .deb package: libwireshark's soname is '${TCPSTATE_WS_SONAME}'")
  return()
endif()

configure_file("${CMAKE_CURRENT_LIST_DIR}/copyright.in" "${CMAKE_BINARY_DIR}/copyright" @ONLY)
install(FILES "${CMAKE_BINARY_DIR}/copyright" DESTINATION "share/doc/${pkg}"
  COMPONENT deb EXCLUDE_FROM_ALL)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME "${pkg}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${TCPSTATE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${TCPSTATE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# Only the "deb" component: the default install rule of plugin/ points at a
# personal plugin dir, which has no place in a package.
set(CPACK_INSTALL_CMAKE_PROJECTS "${CMAKE_BINARY_DIR};${PROJECT_NAME};deb;/")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "Wireshark ${TCPSTATE_WS_ABI} plugin: what every TCP segment does to its connection")
# CPack writes the summary as the synopsis line; this is the text below it.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "tcpstate is a Wireshark and tshark post-dissector that gives every TCP segment
a tree saying what it does in its connection's life (handshake step, data,
FIN, final ACK, reset) and the RFC 9293 state of both endpoints before and
after it, plus Zeek's conn_state and history. Fields: tcpstate.role,
tcpstate.client.state, tcpstate.server.state, ...
.
This package is built for Wireshark ${TCPSTATE_WS_ABI} (${ws_abi_package}) and
installs into its global plugin dir; other Wireshark versions do not load it.")
# dpkg-shlibdeps writes the versioned dependencies (the libwireshark of this
# ABI among them); without it, name the ABI package directly.
find_program(TCPSTATE_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(TCPSTATE_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "${ws_abi_package}")
endif()
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "tshark | wireshark")
set(CPACK_DEBIAN_PACKAGE_ENHANCES "tshark, wireshark")
include(CPack)
