"""queue3.py - the notes' 进程间通信 (communication between processes)
example: a Queue(3) filled until full, a put that waits 2 s and fails, a
put_nowait that fails at once, then the queue drained.  The Python twin of
demos/queue.c.

Watch: one process only.  Its queue fills one message a second to 3 of 3;
then for 2 s the process is blocked in q.put("消息4", True, 2), waiting for
room that never comes (nobody else reads this queue), until it gives up
with queue.Full; put_nowait gives up at once; then the queue empties, one
message a second.  About 13 s at --tempo 1.

Usage: queue3.py [--tempo X]   (X from 0 to 10, a pause multiplier;
default 1, 0 = no pauses)
"""
import os
import queue
from multiprocessing import Queue

from demo import TEMPO, _, sleep  # --tempo and sleep(): see demo.py


if __name__ == "__main__":
    print(_("parent: pid %d, making Queue(3)") % os.getpid())
    q = Queue(3)  # 初始化一个Queue对象，最多可接收三条put消息
    sleep(1)

    q.put("消息1")
    print(_("put %s, qsize %d") % ("消息1", q.qsize()))
    sleep(1)
    q.put("消息2")
    print(_("put %s, qsize %d") % ("消息2", q.qsize()))
    print(q.full())  # False
    sleep(1)
    q.put("消息3")
    print(_("put %s, qsize %d") % ("消息3", q.qsize()))
    print(q.full())  # True
    sleep(1)

    # 因为消息列队已满下面的try都会抛出异常，第一个try会等待2秒后再抛出异常，第二个Try会立刻抛出异常
    print(_("put %s, waiting up to %.1f s for room...") % ("消息4", 2 * TEMPO))
    try:
        q.put("消息4", True, 2 * TEMPO)
    except queue.Full:
        print("消息列队已满，现有消息数量:%s" % q.qsize())
    sleep(1)

    print(_("put_nowait %s...") % "消息4")
    try:
        q.put_nowait("消息4")
    except queue.Full:
        print("消息列队已满，现有消息数量:%s" % q.qsize())
    sleep(1)

    # 推荐的方式，先判断消息列队是否已满，再写入
    if not q.full():
        q.put_nowait("消息4")
    else:
        print(_("full() is True: not putting %s") % "消息4")
    sleep(1)

    # 读取消息时，先判断消息列队是否为空，再读取
    # The notes write `if not q.empty():` and q.get_nowait().  But a put
    # hands its message to the Queue's feeder thread, which writes it into
    # the Queue's pipe an instant later, and empty() and get() look at the
    # pipe: at --tempo 0 they can come before that instant.  So here the
    # check is qsize() (it counts the puts) and get() waits for the
    # message, up to 1 s.
    if q.qsize() > 0:
        for i in range(q.qsize()):
            print(q.get(True, 1))
            sleep(1)
    print(_("qsize %d, empty: %s") % (q.qsize(), q.empty()))

    q.close()
    sleep(1)
    print(_("parent: exiting"))
