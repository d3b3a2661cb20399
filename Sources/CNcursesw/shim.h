#ifndef BOTIFY_CNCURSESW_SHIM_H
#define BOTIFY_CNCURSESW_SHIM_H
// The wide-character API (cchar_t, add_wch, get_wch) is only declared with NCURSES_WIDECHAR.
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <signal.h>
#include <pthread.h>
#include <ncursesw/curses.h>

// Swift cannot import function-like macros (COLOR_PAIR, A_BOLD, stdscr under reentrant builds,
// the mv*/attr* families), so the few the terminal layer needs are wrapped here.

// wcwidth is only declared under _XOPEN_SOURCE, which the importing module may not define.
extern int wcwidth(wchar_t c);
static inline int botify_wcwidth(unsigned int c) { return wcwidth((wchar_t)c); }

static inline SCREEN *botify_newterm(void) { return newterm(NULL, stdout, stdin); }

// term.h's macros would clash with Swift names, so setupterm is declared alone. It reads the
// terminfo entry without touching the screen: an unknown TERM is then refused before anything
// (a database) is created, instead of when curses starts.
extern int setupterm(const char *term, int fildes, int *errret);
static inline int botify_terminal_known(const char *term) {
    int err = 0;
    return setupterm(term, 1, &err) == 0 && err == 1;
}
static inline WINDOW *botify_stdscr(void) { return stdscr; }
static inline int botify_lines(void) { return getmaxy(stdscr); }
static inline int botify_cols(void) { return getmaxx(stdscr); }

/// Sets the attributes of what is drawn next: flags are 1 bold, 2 reverse, 4 underline, 8 dim.
static inline int botify_set_style(int flags, short pair) {
    attr_t a = A_NORMAL;
    if (flags & 1) a |= A_BOLD;
    if (flags & 2) a |= A_REVERSE;
    if (flags & 4) a |= A_UNDERLINE;
    if (flags & 8) a |= A_DIM;
    return attr_set(a, pair, NULL);
}

// How many colours terminfo says the terminal has, and whether it takes direct (24-bit) colour.
static inline int botify_colors(void) { return COLORS; }
static inline int botify_direct_color(void) { return tigetflag("RGB") > 0; }
static inline int botify_init_pair(int pair, int fg, int bg) { return init_extended_pair(pair, fg, bg); }

static inline int botify_put(int y, int x, const char *utf8) { return mvaddstr(y, x, utf8); }
static inline int botify_get_wch(wint_t *out) { return get_wch(out); }
static inline int botify_key_code_yes(void) { return KEY_CODE_YES; }
static inline int botify_key_resize(void) { return KEY_RESIZE; }
static inline int botify_key_mouse(void) { return KEY_MOUSE; }

// Mouse: clicks, double clicks and the wheel (buttons 4 and 5), which ncurses reads as xterm
// SGR reports where terminfo says the terminal sends them.
static inline void botify_mouse_on(void) {
    mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
}
/// 1 click, 2 double click, 3 wheel up, 4 wheel down, 0 anything else (or no event).
static inline int botify_get_mouse(int *x, int *y) {
    MEVENT e;
    if (getmouse(&e) != OK) return 0;
    *x = e.x;
    *y = e.y;
    if (e.bstate & BUTTON1_DOUBLE_CLICKED) return 2;
    if (e.bstate & BUTTON1_CLICKED) return 1;
    if (e.bstate & BUTTON4_PRESSED) return 3;
    if (e.bstate & BUTTON5_PRESSED) return 4;
    return 0;
}

// A signal only sets a flag (async-signal-safe); the input loop, which wakes up at least every
// timeout, sees it and shuts down in order, so the terminal is restored and nothing is lost.
static volatile sig_atomic_t botify_pending_signal = 0;
static inline void botify_signal_handler(int sig) { botify_pending_signal = sig; }
static inline void botify_install_signal_handlers(void) {
    struct sigaction sa;
    sa.sa_handler = botify_signal_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    // A parent may hand down a blocked mask (test runners do): then SIGWINCH would never tell
    // curses about a resize, and SIGTERM would never arrive.
    sigset_t wanted;
    sigemptyset(&wanted);
    sigaddset(&wanted, SIGINT);
    sigaddset(&wanted, SIGTERM);
    sigaddset(&wanted, SIGHUP);
    sigaddset(&wanted, SIGWINCH);
    pthread_sigmask(SIG_UNBLOCK, &wanted, NULL);
}
static inline int botify_take_signal(void) {
    int s = botify_pending_signal;
    botify_pending_signal = 0;
    return s;
}
#endif
