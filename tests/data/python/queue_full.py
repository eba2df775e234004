# The notes' Queue(3): filled to full, then a put that waits the hold for
# room and raises queue.Full, a put_nowait that raises it at once, then the
# 3 messages read back.  One process: the queue is full for the hold.
from multiprocessing import Queue
import argparse
import queue

parser = argparse.ArgumentParser()
parser.add_argument("--hold", type=float, default=0.8, metavar="SECONDS")
HOLD = parser.parse_args().hold

if __name__ == "__main__":
    q = Queue(3)  # 初始化一个Queue对象，最多可接收三条put消息
    q.put("消息1")
    q.put("消息2")
    print(q.full(), flush=True)  # False
    q.put("消息3")
    print(q.full(), flush=True)  # True

    try:
        q.put("消息4", True, HOLD)
    except queue.Full:
        print("put: queue.Full, 消息列队已满，现有消息数量:%s" % q.qsize(), flush=True)

    try:
        q.put_nowait("消息4")
    except queue.Full:
        print("put_nowait: queue.Full, 消息列队已满，现有消息数量:%s" % q.qsize(), flush=True)

    # get() rather than the notes' get_nowait(): a message reaches the
    # queue's pipe an instant after its put, through a feeder thread
    for i in range(q.qsize()):
        print(q.get(True, 5), flush=True)
