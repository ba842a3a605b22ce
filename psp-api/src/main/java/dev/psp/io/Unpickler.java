package dev.psp.io;

import dev.psp.CheckpointFormatException;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pickle virtual machine for the opcodes {@code torch.save} emits (protocols 2 to 5), restricted
 * to the globals of {@link PickleGlobal}.
 *
 * <p>Python values become Java values: dict and OrderedDict a {@code LinkedHashMap}, list an {@code
 * ArrayList}, tuple an unmodifiable {@code List}, str a {@code String}, int a {@code Long} (a {@code
 * BigInteger} beyond 64 bits), float a {@code Double}, bool a {@code Boolean}, None {@code null},
 * bytes a {@code byte[]}, a tensor a {@link TensorRef}. Nothing named by the pickle is executed.
 * One instance reads one pickle.
 */
final class Unpickler {
  /** Turns a persistent id (in torch, a storage tuple) into the object it stands for. */
  interface PersistentLoader {
    Object load(Object pid) throws PickleException;
  }

  /** A loader for pickles that must not contain persistent ids. */
  static final PersistentLoader NO_PERSISTENT_IDS =
      pid -> {
        throw new PickleException("an unexpected persistent id " + describe(pid));
      };

  /** Larger pickles are refused: a checkpoint's is a few hundred kB, and Java objects take more room. */
  private static final long MAX_PICKLE_BYTES = 64L << 20;

  private static final int MAX_LINE = 256;
  private static final int MAX_KEY_PARTS = 1000;

  private final ByteReader in;
  private final PersistentLoader loader;
  private final String file;
  private final List<Object> stack = new ArrayList<>();
  private final Deque<Integer> marks = new ArrayDeque<>();
  private final Map<Long, Object> memo = new HashMap<>();
  private final Set<Object> orderedDicts = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<Object> namespaces = Collections.newSetFromMap(new IdentityHashMap<>());

  /**
   * @param in positioned at the pickle's first opcode
   * @param loader resolves persistent ids
   * @param file names the file in messages
   */
  Unpickler(ByteReader in, PersistentLoader loader, String file) {
    this.in = in;
    this.loader = loader;
    this.file = file;
    in.limit(MAX_PICKLE_BYTES);
  }

  /** Runs the pickle up to its STOP opcode and returns the object it built. */
  Object load() throws IOException, CheckpointFormatException {
    long at = in.position();
    try {
      while (true) {
        at = in.position();
        int op = in.u1();
        if (op == '.') {
          return pop();
        }
        step(op, at);
      }
    } catch (PickleException e) {
      String defect = "the pickle in " + in.what() + " at byte " + at + ": " + e.getMessage();
      throw e.truncated() ? Failures.truncated(file, defect) : Failures.corrupt(file, defect);
    }
  }

  private void step(int op, long at) throws IOException, PickleException, CheckpointFormatException {
    switch (op) {
      case 0x80 -> { // PROTO
        int protocol = in.u1();
        if (protocol > 5) {
          throw new PickleException("pickle protocol " + protocol + " (this reader knows 2 to 5)");
        }
      }
      case 0x95 -> in.u8(); // FRAME: its length only helps buffering
      case '(' -> marks.push(stack.size()); // MARK
      case '0' -> pop(); // POP
      case '1' -> popMark(); // POP_MARK
      case '2' -> stack.add(peek()); // DUP
      case 'N' -> stack.add(null);
      case 0x88 -> stack.add(Boolean.TRUE);
      case 0x89 -> stack.add(Boolean.FALSE);
      case 'K' -> stack.add((long) in.u1()); // BININT1
      case 'M' -> stack.add((long) in.u2()); // BININT2
      case 'J' -> stack.add((long) in.s4()); // BININT
      case 0x8a -> stack.add(integer(in.bytes(in.u1()))); // LONG1
      case 0x8b -> stack.add(integer(in.bytes(in.s4()))); // LONG4
      case 'G' -> stack.add(in.f8be()); // BINFLOAT
      case 'X' -> stack.add(in.utf8(in.u4())); // BINUNICODE
      case 0x8c -> stack.add(in.utf8(in.u1())); // SHORT_BINUNICODE
      case 0x8d -> stack.add(in.utf8(in.u8())); // BINUNICODE8
      case 'T' -> stack.add(in.utf8(in.s4())); // BINSTRING (Python 2 str, decoded like torch.load)
      case 'U' -> stack.add(in.utf8(in.u1())); // SHORT_BINSTRING
      case 'B' -> stack.add(in.bytes(in.u4())); // BINBYTES
      case 'C' -> stack.add(in.bytes(in.u1())); // SHORT_BINBYTES
      case 0x8e -> stack.add(in.bytes(in.u8())); // BINBYTES8
      case '}' -> stack.add(new LinkedHashMap<>()); // EMPTY_DICT
      case ']' -> stack.add(new ArrayList<>()); // EMPTY_LIST
      case ')' -> stack.add(tuple()); // EMPTY_TUPLE
      case 't' -> stack.add(tuple(popMark().toArray())); // TUPLE
      case 0x85 -> stack.add(tuple(pop())); // TUPLE1
      case 0x86 -> { // TUPLE2
        Object b = pop();
        stack.add(tuple(pop(), b));
      }
      case 0x87 -> { // TUPLE3
        Object c = pop();
        Object b = pop();
        stack.add(tuple(pop(), b, c));
      }
      case 'a' -> { // APPEND
        Object value = pop();
        list(peek()).add(value);
      }
      case 'e' -> { // APPENDS
        List<Object> values = popMark();
        list(peek()).addAll(values);
      }
      case 's' -> { // SETITEM
        Object value = pop();
        Object key = pop();
        dict(peek()).put(hashable(key), value);
      }
      case 'u' -> { // SETITEMS
        List<Object> items = popMark();
        if (items.size() % 2 != 0) {
          throw new PickleException("SETITEMS with an odd number of items");
        }
        Map<Object, Object> dict = dict(peek());
        for (int i = 0; i < items.size(); i += 2) {
          dict.put(hashable(items.get(i)), items.get(i + 1));
        }
      }
      case 'q' -> memo.put((long) in.u1(), peek()); // BINPUT
      case 'r' -> memo.put(in.u4(), peek()); // LONG_BINPUT
      case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
      case 'h' -> stack.add(memoized(in.u1())); // BINGET
      case 'j' -> stack.add(memoized(in.u4())); // LONG_BINGET
      case 'c' -> stack.add(global(in.line(MAX_LINE), in.line(MAX_LINE), at)); // GLOBAL
      case 0x93 -> { // STACK_GLOBAL
        Object name = pop();
        Object module = pop();
        if (!(module instanceof String m) || !(name instanceof String n)) {
          throw new PickleException("STACK_GLOBAL of " + describe(module) + " and " + describe(name));
        }
        stack.add(global(m, n, at));
      }
      case 'Q' -> stack.add(loader.load(pop())); // BINPERSID
      case 'R' -> { // REDUCE
        Object args = pop();
        stack.add(reduce(pop(), args));
      }
      case 0x81 -> { // NEWOBJ
        Object args = pop();
        stack.add(newObject(pop(), args));
      }
      case 'b' -> { // BUILD
        Object state = pop();
        build(peek(), state);
      }
      default -> throw new PickleException(
          String.format("unsupported opcode 0x%02x ('%s')", op, (char) op));
    }
  }

  private Object global(String module, String name, long at) throws PickleException, CheckpointFormatException {
    Object g = PickleGlobal.lookup(module, name);
    if (g != null) {
      return g;
    }
    if (module.equals("torch") && name.endsWith("Storage")) {
      throw Failures.unsupported(file, "a tensor of type torch." + name + " in " + in.what(),
          "this reader supports float32/64, float16, bfloat16, int8/16/32/64, uint8 and bool tensors:"
              + " convert the others (e.g. with tensor.float()) and save again");
    }
    throw Failures.unsafe(file, in.what() + " at byte " + at, module + "." + name);
  }

  private Object reduce(Object callable, Object args) throws PickleException {
    List<Object> a = tupleArgs(callable, args);
    if (callable == PickleGlobal.ORDERED_DICT && a.isEmpty()) {
      return newMap(orderedDicts);
    }
    if (callable == PickleGlobal.REBUILD_TENSOR_V2 && (a.size() == 6 || a.size() == 7)
        || callable == PickleGlobal.REBUILD_TENSOR && a.size() == 4) {
      return TensorRef.of(a.get(0), a.get(1), a.get(2), a.get(3));
    }
    if (callable == PickleGlobal.REBUILD_PARAMETER && a.size() == 3 && a.get(0) instanceof TensorRef) {
      return a.get(0);
    }
    if (callable == PickleGlobal.TORCH_SIZE && a.size() == 1 && isTuple(a.get(0))) {
      return a.get(0);
    }
    if (callable == PickleGlobal.TORCH_DEVICE && a.size() == 1 && a.get(0) instanceof String s) {
      return s;
    }
    if (callable == PickleGlobal.TORCH_DEVICE && a.size() == 2 && a.get(0) instanceof String s
        && a.get(1) instanceof Long index) {
      return s + ":" + index;
    }
    throw new PickleException("a call " + callable + describeArgs(a) + " that is not supported");
  }

  private Object newObject(Object cls, Object args) throws PickleException {
    List<Object> a = tupleArgs(cls, args);
    if (cls == PickleGlobal.NAMESPACE && a.isEmpty()) {
      return newMap(namespaces);
    }
    throw new PickleException("NEWOBJ " + cls + describeArgs(a) + " that is not supported");
  }

  /** A new map, remembered as one of {@code kind} (OrderedDicts or Namespaces) for BUILD. */
  private static Map<Object, Object> newMap(Set<Object> kind) {
    Map<Object, Object> map = new LinkedHashMap<>();
    kind.add(map);
    return map;
  }

  /** Sets an object's attributes: kept for a Namespace, ignored for an OrderedDict (its _metadata). */
  @SuppressWarnings("unchecked")
  private void build(Object target, Object state) throws PickleException {
    if (namespaces.contains(target) && state instanceof Map<?, ?> attributes) {
      for (Map.Entry<?, ?> e : attributes.entrySet()) {
        ((Map<Object, Object>) target).put(e.getKey(), e.getValue());
      }
    } else if (!orderedDicts.contains(target)) {
      throw new PickleException("BUILD of " + describe(target) + " with " + describe(state));
    }
  }

  @SuppressWarnings("unchecked")
  private List<Object> tupleArgs(Object callable, Object args) throws PickleException {
    if (!(callable instanceof PickleGlobal)) {
      throw new PickleException("a call of " + describe(callable));
    }
    if (!isTuple(args)) {
      throw new PickleException("a call of " + callable + " with arguments " + describe(args));
    }
    return (List<Object>) args;
  }

  private Object memoized(long index) throws PickleException {
    Object value = memo.get(index);
    if (value == null && !memo.containsKey(index)) {
      throw new PickleException("a reference to memo entry " + index + ", which was never stored");
    }
    return value;
  }

  /**
   * Refuses keys Python could not hash (lists, dicts), keys that are not plain values, and tuples of
   * more than {@value #MAX_KEY_PARTS} parts in all (shared nested tuples would make hashing slow).
   */
  private static Object hashable(Object key) throws PickleException {
    List<Object> todo = new ArrayList<>();
    todo.add(key);
    for (int parts = 1; !todo.isEmpty(); parts++) {
      if (parts > MAX_KEY_PARTS) {
        throw new PickleException("a dictionary key of more than " + MAX_KEY_PARTS + " values");
      }
      Object part = todo.remove(todo.size() - 1);
      if (isTuple(part)) {
        todo.addAll((List<?>) part);
      } else if (!(part == null || part instanceof String || part instanceof Long || part instanceof Double
          || part instanceof Boolean || part instanceof BigInteger || part instanceof byte[])) {
        throw new PickleException("a dictionary key that is or holds " + describe(part));
      }
    }
    return key;
  }

  /** Removes the top value; like Python's unpickler, values below the last MARK are out of reach. */
  private Object pop() throws PickleException {
    Object top = peek();
    stack.remove(stack.size() - 1);
    return top;
  }

  private Object peek() throws PickleException {
    int floor = marks.isEmpty() ? 0 : marks.peek();
    if (stack.size() <= floor) {
      throw new PickleException("an opcode needs a value but the stack is empty");
    }
    return stack.get(stack.size() - 1);
  }

  private List<Object> popMark() throws PickleException {
    if (marks.isEmpty()) {
      throw new PickleException("an opcode needs a MARK but there is none");
    }
    List<Object> top = stack.subList(marks.pop(), stack.size());
    List<Object> values = new ArrayList<>(top);
    top.clear();
    return values;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object target) throws PickleException {
    if (target instanceof ArrayList<?>) {
      return (List<Object>) target;
    }
    throw new PickleException("APPEND to " + describe(target));
  }

  @SuppressWarnings("unchecked")
  private Map<Object, Object> dict(Object target) throws PickleException {
    if (target instanceof LinkedHashMap<?, ?> && !namespaces.contains(target)) {
      return (Map<Object, Object>) target;
    }
    throw new PickleException("SETITEM on " + describe(target));
  }

  private static List<Object> tuple(Object... items) {
    return Collections.unmodifiableList(Arrays.asList(items));
  }

  /** Whether a value is a Python tuple (an unmodifiable list, unlike a Python list). */
  static boolean isTuple(Object value) {
    return value instanceof List<?> && !(value instanceof ArrayList<?>);
  }

  /** A two's-complement little-endian integer: a Long, or a BigInteger beyond 64 bits. */
  private static Object integer(byte[] littleEndian) {
    byte[] bigEndian = new byte[Math.max(1, littleEndian.length)];
    for (int i = 0; i < littleEndian.length; i++) {
      bigEndian[bigEndian.length - 1 - i] = littleEndian[i];
    }
    BigInteger value = new BigInteger(bigEndian);
    return value.bitLength() < 64 ? (Object) value.longValue() : value;
  }

  private static String describeArgs(List<Object> args) {
    StringBuilder sb = new StringBuilder("(");
    for (Object arg : args) {
      sb.append(sb.length() > 1 ? ", " : "").append(describe(arg));
    }
    return sb.append(')').toString();
  }

  /** A short description of a pickled value for messages, without printing large contents. */
  static String describe(Object value) {
    if (value == null) {
      return "None";
    }
    if (value instanceof String s) {
      return s.length() <= 60 ? "'" + s + "'" : "a string of " + s.length() + " characters";
    }
    if (value instanceof Long || value instanceof Double || value instanceof Boolean
        || value instanceof BigInteger || value instanceof PickleGlobal) {
      return value.toString();
    }
    if (value instanceof DType d) {
      return "torch." + d.torchStorage();
    }
    if (value instanceof List<?> l) {
      return (isTuple(l) ? "a tuple of " : "a list of ") + l.size();
    }
    if (value instanceof Map<?, ?> m) {
      return "a dict of " + m.size();
    }
    if (value instanceof byte[] b) {
      return b.length + " bytes";
    }
    return value instanceof TensorRef ? "a tensor" : "a storage";
  }
}
