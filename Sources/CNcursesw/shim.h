#ifndef BOTIFY_CNCURSESW_SHIM_H
#define BOTIFY_CNCURSESW_SHIM_H
// The wide-character API (cchar_t, add_wch, get_wch) is only declared with NCURSES_WIDECHAR.
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#endif
