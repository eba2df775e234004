# The notes' Pool(3) with apply_async on 10 tasks.  Each task sleeps a
# third of the hold, so the 3 workers are busy for about 4/3 of it while
# the parent is blocked in join().  Only the parent prints.
from multiprocessing import Pool
import argparse
import time


def worker(msg):
    time.sleep(HOLD / 3)
    return msg


parser = argparse.ArgumentParser()
parser.add_argument("--hold", type=float, default=0.8, metavar="SECONDS")
HOLD = parser.parse_args().hold

if __name__ == "__main__":
    po = Pool(3)  # 定义一个进程池，最大进程数3
    for i in range(0, 10):
        # 每次循环将会用空闲出来的子进程去调用目标
        po.apply_async(worker, (i,))
    print("----start----", flush=True)
    po.close()  # 关闭进程池，关闭后po不再接收新的请求
    po.join()  # 等待po中所有子进程执行完成，必须放在close语句之后
    print("-----end-----", flush=True)
