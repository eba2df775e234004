# The notes' 进程池中的Queue: a Manager's Queue shared by a Pool's writer
# and reader.  apply() blocks, so the writer (which holds on for the hold
# after its 6 puts, the queue full of "dongGe") is done before the reader
# starts; the tasks print while the parent waits in apply(), so the order
# is fixed.  No PIDs are printed.
from multiprocessing import Manager, Pool
import argparse
import time


def reader(q):
    print("reader启动", flush=True)
    for i in range(q.qsize()):
        print("reader从Queue获取到消息：%s" % q.get(True), flush=True)


def writer(q):
    print("writer启动", flush=True)
    for i in "dongGe":
        q.put(i)
    time.sleep(HOLD)


parser = argparse.ArgumentParser()
parser.add_argument("--hold", type=float, default=0.8, metavar="SECONDS")
HOLD = parser.parse_args().hold

if __name__ == "__main__":
    print("start", flush=True)
    q = Manager().Queue()  # 使用Manager中的Queue来初始化
    po = Pool()
    # 使用阻塞模式创建进程，这样就不需要在reader中使用死循环了，可以让writer完全执行完成后，再用reader去读取
    po.apply(writer, (q,))
    po.apply(reader, (q,))
    po.close()
    po.join()
    print("End", flush=True)
