/*
 * Blocked-IP load for bench/compare.sh, in C: the Python client (blocked-client.py) tops out
 * at 6,000-7,000 connections/s on this kind of machine, below what a gate that refuses
 * without reading can answer, so it measured itself. Same dialogue and same accounting:
 *
 *   blocked-flood SOURCE TOTAL INFLIGHT RCPT PORT...
 *
 * TOTAL connections from SOURCE (an address on lo), INFLIGHT at a time, round-robin over the
 * PORTs of 127.0.0.1. Each writes a whole pipelined SMTP dialogue (EHLO ... QUIT) as soon as
 * it is connected, without waiting for the greeting, then reads until the server closes.
 * Prints one line: "refusals_per_s first_codes(code:count,...) fin reset errors sent_bytes".
 * A connection still open after BLOCKED_WAIT seconds (default 10) counts as an error.
 *
 * Built by the benchmark with: cc -O2 -o blocked-flood blocked-flood.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { MAX_CODES = 32 };

struct conn {
    int fd;
    int wrote;          /* the dialogue has been written */
    char first[4];      /* first three bytes the server sent */
    int got;            /* bytes of first[] filled */
    double started;
};

static struct { char code[5]; long n; } codes[MAX_CODES];
static int ncodes;
static long fin, resets, errors, done_count;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void count_code(const char *first, int got) {
    char code[5] = "none";
    if (got >= 3) { memcpy(code, first, 3); code[3] = 0; }
    for (int i = 0; i < ncodes; i++)
        if (strcmp(codes[i].code, code) == 0) { codes[i].n++; return; }
    if (ncodes < MAX_CODES) { strcpy(codes[ncodes].code, code); codes[ncodes++].n = 1; }
}

static int open_one(const char *source, int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0) return -1;
    struct sockaddr_in local = { .sin_family = AF_INET };
    inet_pton(AF_INET, source, &local.sin_addr);
    struct sockaddr_in server = { .sin_family = AF_INET, .sin_port = htons(port) };
    inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
    if (bind(fd, (struct sockaddr *)&local, sizeof local) < 0 ||
        (connect(fd, (struct sockaddr *)&server, sizeof server) < 0 && errno != EINPROGRESS)) {
        close(fd);
        return -1;
    }
    return fd;
}

int main(int argc, char **argv) {
    if (argc < 6) {
        fprintf(stderr, "usage: blocked-flood SOURCE TOTAL INFLIGHT RCPT PORT...\n");
        return 2;
    }
    const char *source = argv[1];
    long total = atol(argv[2]);
    int inflight = atoi(argv[3]);
    const char *rcpt = argv[4];
    int nports = argc - 5;
    double wait = getenv("BLOCKED_WAIT") ? atof(getenv("BLOCKED_WAIT")) : 10.0;

    char payload[512];
    int plen = snprintf(payload, sizeof payload,
        "EHLO attacker.test\r\nMAIL FROM:<spam@attacker.test>\r\nRCPT TO:<%s>\r\n"
        "DATA\r\nSubject: buy now\r\n\r\nspam spam spam\r\n.\r\nQUIT\r\n", rcpt);

    int ep = epoll_create1(0);
    struct conn *conns = calloc(inflight, sizeof *conns);
    long opened = 0;
    double t0 = now();

    /* Slot i holds one connection at a time; a finished slot opens the next connection. */
    for (int i = 0; i < inflight; i++) conns[i].fd = -1;
    for (;;) {
        for (int i = 0; i < inflight && opened < total; i++) {
            if (conns[i].fd >= 0) continue;
            int fd = open_one(source, atoi(argv[5 + opened % nports]));
            opened++;
            if (fd < 0) { errors++; done_count++; continue; }
            conns[i] = (struct conn){ .fd = fd, .started = now() };
            struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP, .data.u32 = i };
            epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
        }
        if (done_count >= total) break;

        struct epoll_event events[256];
        int n = epoll_wait(ep, events, 256, 100);
        double t = now();
        for (int k = 0; k < n; k++) {
            struct conn *c = &conns[events[k].data.u32];
            if (c->fd < 0) continue;
            int finished = 0;
            if (!c->wrote && (events[k].events & EPOLLOUT)) {
                int err = 0; socklen_t len = sizeof err;
                getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
                if (err) { errors++; finished = 1; }
                else {
                    /* Refused before the dialogue went out: the server may already have closed. */
                    if (send(c->fd, payload, plen, MSG_NOSIGNAL) < 0 && errno != EPIPE && errno != ECONNRESET) { errors++; finished = 1; }
                    c->wrote = 1;
                    struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP, .data.u32 = events[k].data.u32 };
                    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
                }
            }
            if (!finished && (events[k].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))) {
                char buf[4096];
                for (;;) {
                    ssize_t r = recv(c->fd, buf, sizeof buf, 0);
                    if (r > 0) {
                        if (c->got < 3) { int m = r < 3 - c->got ? (int)r : 3 - c->got; memcpy(c->first + c->got, buf, m); c->got += m; }
                        continue;
                    }
                    if (r == 0) { fin++; finished = 1; }
                    else if (errno == ECONNRESET) { resets++; finished = 1; }
                    else if (errno != EAGAIN) { errors++; finished = 1; }
                    break;
                }
            }
            if (finished) {
                count_code(c->first, c->got);
                close(c->fd);
                c->fd = -1;
                done_count++;
            }
        }
        /* Connections the server keeps open past the wait are errors (it is waiting for input). */
        for (int i = 0; i < inflight; i++)
            if (conns[i].fd >= 0 && t - conns[i].started > wait) {
                count_code(conns[i].first, conns[i].got);
                close(conns[i].fd);
                conns[i].fd = -1;
                errors++;
                done_count++;
            }
    }
    double secs = now() - t0;
    printf("%.1f ", (total - errors) / secs);
    for (int i = 0; i < ncodes; i++) printf("%s%s:%ld", i ? "," : "", codes[i].code, codes[i].n);
    printf(" %ld %ld %ld %d\n", fin, resets, errors, plen);
    return 0;
}
