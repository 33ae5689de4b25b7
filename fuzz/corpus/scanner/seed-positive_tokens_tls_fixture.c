positive/tokens/tls_fixture.c
/* server key for the local TLS listener */
static const char kServerKey[] =
    "-----BEGIN RSA PRIVATE KEY-----\n"
    "MIIEowIBAAKCAQEA1wTsywR9fXKhgc+wuZUzRKG+czWqp+iqAn/SUoRBa/A4tbGO\n"
    "V9kWLiEpGOWiRfsIjiQoKZN5LXPB3QQfEQAKfbK1UsHl/j8Bg6eainrMkC0mnHox\n"
    "H17bSwvM8bHBk/3EmjrYQEXE6YyZdjnC6G3eiWpCCudN3hVRUmcondyyLmTsv4bk\n"
    "X/bF9DggNsaXjn1HiYZ4yPiKUi2oKmK8AKtiwUtCxFk766qBhFD/Um9ptboMfCSd\n"
    "Phq8nt4BkKdQZlVx73//g9XvP6ZuIgk8vS1bvcWZgNKGHRz0fob39fElnkvSHIBI\n"
    "uJ+y+/WIMQY3A78pPcAs1cfXJKZHxKh0uXKFV70xt+s1YqDl3U+REc18ieDPeGL5\n"
    "/PgPKmlLINwzbctHkqVnwgnzcCDkRy7qnBquOOtzvyzEKD6iyiG7EuX2aH4nYD2W\n"
    "kRMPLJ6EfJH0jKmrRPJrV8NDsGUSuka09BIcNAZi0L6d+s4HTCorul9FNISZ0q/R\n"
    "ZEwV6f78dliFD+cZdoJiWrSnSNGwqvjAh7fA8AYYUCu1nIUYyNyRBmIy9qXeUHHv\n"
    "DhFHOTX0vIuax+XjUfP6omM8EkA5MGOBfgRiKn2KuaiVv0nUKJYxbHN2PSej4lsZ\n"
    "l9ZnHOBcLB18jzHlBVnIdNJvnddxkgMvIIgF3kIkQtL6U+Szw2Ki1wgPVchxvjvC\n"
    "d7d9+ypMnbEe39cjU6LiBDYDIiDrPfHz4pKY4EkNiHS08BzMYQZHlnjr7XV/E2fh\n"
    "g971TGYZ2LAEsuPUhSizNnh7X3oKhYY3R55RZwPoIUEu49ELHipUZWLlRDgGzDFN\n"
    "8un4irGqosrH5dzgNldohdEF3RU8J8asilqIZ5wEKglGvxI8zds+/FqsQuXEdvJe\n"
    "yeS4YJ2ZUHyYGYYOh3ipZ3UE6wusMxTYGeF/Tm2K3dAjDZ1j/tsyNiYuUWOI87z3\n"
    "ViS3aJC9hVosFPSlCgA5Oci7uNPyyDAFxIP+7jGQ76oxj364Pado7Yzfa9epLAYD\n"
    "54mDMRsV88xZK9ruIpGiBiSMa6Ci384gYlQHzE0XJZNHDIrauiEgzi3jSqFfKxdB\n"
    "scYdUViQqYzM5T9NLwlHduZpHhh73/JfAOOMeAI36h+CPRWK/oyfoiQnULFuiBkL\n"
    "wWNwe9CZSjAy9bDPloqDkIQldZD8P4lfybgJMjH7C+w7fIIH\n"
    "-----END RSA PRIVATE KEY-----\n";
