"""Functions the C library provides: a repository may declare them, it never defines them.

A call of one of these is provided by libc (or the platform) when the name
is also declared in a header of the repository, so XL102 leaves it alone.
"""

from __future__ import annotations

_NAMES = """
    abort abs aligned_alloc atexit atof atoi atol atoll bsearch calloc div exit
    free getenv labs llabs malloc qsort rand realloc srand strtod strtof strtol
    strtold strtoll strtoul strtoull system
    memchr memcmp memcpy memmove memset strcat strchr strcmp strcoll strcpy
    strcspn strdup strerror strlen strncat strncmp strncpy strndup strnlen
    strpbrk strrchr strspn strstr strtok strtok_r strxfrm
    clearerr fclose feof ferror fflush fgetc fgets fopen fprintf fputc fputs
    fread freopen fscanf fseek ftell fwrite getc getchar perror printf putc
    putchar puts remove rename rewind scanf setbuf setvbuf snprintf sprintf
    sscanf tmpfile ungetc vfprintf vprintf vsnprintf vsprintf
    isalnum isalpha isdigit islower isspace isupper isxdigit tolower toupper
    clock difftime gmtime localtime mktime strftime time nanosleep
    close dup dup2 getpid open read sleep usleep write pipe fork execv
    pthread_create pthread_join pthread_self pthread_mutex_lock pthread_mutex_unlock
    dlopen dlsym dlclose dlerror
    sqrt pow exp log floor ceil fabs sin cos tan
"""
LIBC_FUNCTIONS = frozenset(_NAMES.split())

# Those that may keep or free the pointer they are given; the others only read or
# write through it for the call.
LIBC_TAKING = frozenset({"free", "realloc", "reallocarray", "putenv"})
