# The same program under each start method (the first argument: fork,
# spawn or forkserver): a Process named dongGe, a Pool(2) running two tasks,
# and a Queue(2) filled to full.  Each holds its state a while (--hold), so
# a reading sees it; only the parent prints, after each part is done.
import argparse
import multiprocessing as mp
import time


def sleeper(seconds):
    time.sleep(seconds)


def square(x):
    time.sleep(HOLD / 2)
    return x * x


parser = argparse.ArgumentParser()
parser.add_argument("method", choices=["fork", "spawn", "forkserver"])
parser.add_argument("--hold", type=float, default=0.8)
args = parser.parse_args()
HOLD = args.hold

if __name__ == "__main__":
    mp.set_start_method(args.method)
    p = mp.Process(target=sleeper, name="dongGe", args=(HOLD,))
    p.start()
    p.join()
    print("dongGe joined", flush=True)
    po = mp.Pool(2)
    print(po.map(square, [3, 4]), flush=True)
    po.close()
    po.join()
    q = mp.Queue(2)
    q.put("a")
    q.put("b")
    time.sleep(HOLD)
    print(q.get(), q.get(), flush=True)
