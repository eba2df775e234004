# The notes' Pool(3) with apply (blocking) on 4 tasks, each sleeping half
# the hold: one task at a time, the parent blocked in apply() meanwhile.
# A task prints while the parent waits for it, so the order is fixed.
from multiprocessing import Pool
import argparse
import time


def worker(msg):
    print("%s开始执行" % msg, flush=True)
    time.sleep(HOLD / 2)
    print(msg, "执行完毕", flush=True)


parser = argparse.ArgumentParser()
parser.add_argument("--hold", type=float, default=0.8, metavar="SECONDS")
HOLD = parser.parse_args().hold

if __name__ == "__main__":
    po = Pool(3)  # 定义一个进程池，最大进程数3
    for i in range(0, 4):
        po.apply(worker, (i,))
    print("----start----", flush=True)
    po.close()  # 关闭进程池，关闭后po不再接收新的请求
    po.join()  # 等待po中所有子进程执行完成，必须放在close语句之后
    print("-----end-----", flush=True)
