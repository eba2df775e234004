"""pool.py - the notes' 进程池 (process pool) example: Pool(3), apply_async
on 10 tasks.  The Python twin of demos/pool.c.

Watch: the parent alone for 3 s, then Pool(3) makes its 3 workers at once
and they wait, idle, for 3 s; then the 10 tasks run in those same 3
workers (10 tasks, still only 4 processes), each worker taking the next
task as it finishes one; the parent is blocked in join() meanwhile.  After
the end the parent is alone again for 2 s.  About 12 s at --tempo 1.

Usage: pool.py [--tempo X]   (X from 0 to 10, a pause multiplier;
default 1, 0 = no pauses)
"""
import os
import random
import time
from multiprocessing import Pool

from demo import TEMPO, _, sleep  # --tempo and sleep(): see demo.py


def worker(msg):
    t_start = time.time()
    print("%s开始执行,进程号为%d" % (msg, os.getpid()))
    # random.random()随机生成0~1之间的浮点数
    # The notes sleep random.random()*2; here at least 0.2 s of that, as
    # in pool.c, so that every task shows for a moment.
    sleep(0.2 + random.random() * 1.8)
    t_stop = time.time()
    print(msg, "执行完毕，耗时%0.2f" % (t_stop - t_start))


if __name__ == "__main__":
    print(_("parent: pid %d, making a Pool(3) in %.1f s") % (os.getpid(), 3 * TEMPO))
    sleep(3)

    po = Pool(3)  # 定义一个进程池，最大进程数3 (its 3 workers start now)
    print(_("parent: 3 workers are waiting for tasks"))
    sleep(3)

    for i in range(0, 10):
        # Pool.apply_async(要调用的目标,(传递给目标的参数元祖,))
        # 每次循环将会用空闲出来的子进程去调用目标
        po.apply_async(worker, (i,))

    print("----start----")
    po.close()  # 关闭进程池，关闭后po不再接收新的请求
    po.join()  # 等待po中所有子进程执行完成，必须放在close语句之后
    print("-----end-----")
    sleep(2)  # the workers are gone: the parent alone
    print(_("parent: exiting"))
