"""manager_queue.py - the notes' 进程池中的Queue example: a Manager's Queue
shared by a Pool's writer and reader tasks.  The Python twin of
demos/manager-queue.c.

Watch: Manager() starts a separate process, the manager, which owns the
queue; the tasks get only a proxy naming it.  Then Pool() starts its
workers (one per CPU; the C demo makes 2).  po.apply() blocks: the
parent waits while one worker runs writer (6 letters, one every 0.5 s),
then while one runs reader (it takes them, one every 0.5 s).  After the
pool's workers end, the manager is shut down, and the parent is alone for
2 s.  About 18 s at --tempo 1.

Usage: manager_queue.py [--tempo X]   (X from 0 to 10, a pause
multiplier; default 1, 0 = no pauses)
"""
import os
# 修改import中的Queue为Manager
from multiprocessing import Manager, Pool, active_children

from demo import _, sleep  # --tempo and sleep(): see demo.py


def reader(q):
    print("reader启动(%s),父进程为(%s)" % (os.getpid(), os.getppid()))
    for i in range(q.qsize()):
        print("reader从Queue获取到消息：%s" % q.get(True))
        sleep(0.5)


def writer(q):
    print("writer启动(%s),父进程为(%s)" % (os.getpid(), os.getppid()))
    for i in "dongGe":
        q.put(i)
        sleep(0.5)  # so that the queue is seen filling


if __name__ == "__main__":
    print("(%s) start" % os.getpid())
    sleep(2)
    # The notes write q=Manager().Queue(); here the manager keeps a name,
    # so that the parent can stop it at the end, as the C demo does.
    manager = Manager()  # starts the manager process
    q = manager.Queue()  # 使用Manager中的Queue来初始化
    for p in active_children():  # the one child so far: the manager
        print(_("main: the manager process is %s, pid %d") % (p.name, p.pid))
    sleep(2)
    po = Pool()
    sleep(2)
    # 使用阻塞模式创建进程，这样就不需要在reader中使用死循环了，可以让writer完全执行完成后，再用reader去读取
    po.apply(writer, (q,))
    sleep(2)
    po.apply(reader, (q,))
    po.close()
    po.join()
    sleep(2)
    print(_("main: stopping the manager"))
    manager.shutdown()
    sleep(2)
    print("(%s) End" % os.getpid())
