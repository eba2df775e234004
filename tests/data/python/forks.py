# 20 quick fork/waitpid pairs, as a student writes them.
import os

for i in range(20):
    pid = os.fork()
    if pid == 0:
        os._exit(i)
    os.waitpid(pid, 0)
print("done")
