package io.dbrescue.redis;

/**
 * The checks Redis makes on the encoded structures of an RDB when it loads them (src/ziplist.c
 * ziplistValidateIntegrity, listpack.c lpValidateIntegrity without "deep", intset.c
 * intsetValidateIntegrity, zipmap.c zipmapValidateIntegrity): a blob that fails one makes Redis refuse
 * the whole file. Each method returns the number of elements (0 = an empty key, which Redis skips) or
 * throws {@link RdbReader.Corrupt} saying what is wrong. Ziplists and zipmaps are walked entry by entry
 * because Redis 7 converts them to listpacks on load, validating every entry.
 */
final class RdbBlobs {
    private static final int ZL_HEADER = 10;
    private static final int ZL_END = 0xff;

    private RdbBlobs() {
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    /** A ziplist: header (bytes, tail offset, count), entries, 0xFF. */
    static long ziplist(byte[] zl) throws RdbReader.Corrupt {
        int size = zl.length;
        if (size < ZL_HEADER + 1) {
            throw new RdbReader.Corrupt("its ziplist is " + size + " bytes long, shorter than a ziplist's header");
        }
        if (u32(zl, 0) != size) {
            throw new RdbReader.Corrupt("its ziplist says it is " + u32(zl, 0) + " bytes long but holds " + size);
        }
        if ((zl[size - 1] & 0xff) != ZL_END) {
            throw new RdbReader.Corrupt("its ziplist does not end with the end marker 0xFF");
        }
        long tail = u32(zl, 4);
        if (tail > size - 1) {
            throw new RdbReader.Corrupt("its ziplist's last-entry offset points past its end");
        }
        int count = 0;
        int p = ZL_HEADER;
        int prev = -1;
        int prevSize = 0;
        while ((zl[p] & 0xff) != ZL_END) {
            int entry = zipEntrySize(zl, p, prevSize);
            prevSize = entry;
            prev = p;
            p += entry;
            count++;
        }
        if (p != size - 1 || (prev >= 0 && prev != tail)) {
            throw new RdbReader.Corrupt("its ziplist's entries do not line up with its header");
        }
        int header = u16(zl, 8);
        if (header != 0xffff && header != count) {
            throw new RdbReader.Corrupt("its ziplist says it holds " + header + " entries but holds " + count);
        }
        return count;
    }

    /** The size of the ziplist entry at p (prevlen, encoding, data), checked against its neighbours. */
    private static int zipEntrySize(byte[] zl, int p, int prevSize) throws RdbReader.Corrupt {
        int last = zl.length - 1;
        int prevLenSize = (zl[p] & 0xff) < 254 ? 1 : 5;
        if (p + prevLenSize >= last) {
            throw new RdbReader.Corrupt("a ziplist entry runs past the ziplist's end");
        }
        long prevLen = prevLenSize == 1 ? zl[p] & 0xff : u32(zl, p + 1);
        if (prevLen != prevSize) {
            throw new RdbReader.Corrupt("a ziplist entry's back link does not match the entry before it");
        }
        int e = p + prevLenSize;
        int enc = zl[e] & 0xff;
        long header;
        long data;
        switch (enc >> 6) {
            case 0 -> {
                header = 1;
                data = enc & 0x3f;
            }
            case 1 -> {
                header = 2;
                data = e + 1 < last ? ((enc & 0x3f) << 8) | (zl[e + 1] & 0xff) : Long.MAX_VALUE;
            }
            case 2 -> {
                header = 5;
                data = e + 4 < last ? (zl[e + 1] & 0xffL) << 24 | (zl[e + 2] & 0xffL) << 16 | (zl[e + 3] & 0xffL) << 8
                        | (zl[e + 4] & 0xffL) : Long.MAX_VALUE;
            }
            default -> {
                header = 1;
                data = intSize(enc);
            }
        }
        long end = p + prevLenSize + header + data;
        if (end > last) {
            throw new RdbReader.Corrupt("a ziplist entry runs past the ziplist's end");
        }
        return (int) (end - p);
    }

    private static int intSize(int enc) throws RdbReader.Corrupt {
        return switch (enc) {
            case 0xc0 -> 2;
            case 0xd0 -> 4;
            case 0xe0 -> 8;
            case 0xf0 -> 3;
            case 0xfe -> 1;
            default -> {
                if (enc >= 0xf1 && enc <= 0xfd) {
                    yield 0;
                }
                throw new RdbReader.Corrupt("a ziplist entry has the invalid encoding byte 0x"
                        + Integer.toHexString(enc));
            }
        };
    }

    /** A listpack's header (total bytes, count) and end byte; 0 when it holds nothing, else its count (-1 = many). */
    static long listpack(byte[] lp) throws RdbReader.Corrupt {
        int size = lp.length;
        if (size < 7) {
            throw new RdbReader.Corrupt("its listpack is " + size + " bytes long, shorter than a listpack's header");
        }
        if (u32(lp, 0) != size) {
            throw new RdbReader.Corrupt("its listpack says it is " + u32(lp, 0) + " bytes long but holds " + size);
        }
        if ((lp[size - 1] & 0xff) != 0xff) {
            throw new RdbReader.Corrupt("its listpack does not end with the end marker 0xFF");
        }
        if (size == 7) {
            return 0;
        }
        int count = u16(lp, 4);
        return count == 0xffff ? -1 : count;
    }

    /** An intset: encoding 2, 4 or 8 bytes, count, then count integers. */
    static long intset(byte[] is) throws RdbReader.Corrupt {
        if (is.length < 8) {
            throw new RdbReader.Corrupt("its intset is " + is.length + " bytes long, shorter than an intset's header");
        }
        long enc = u32(is, 0);
        if (enc != 2 && enc != 4 && enc != 8) {
            throw new RdbReader.Corrupt("its intset has the invalid integer size " + enc);
        }
        long count = u32(is, 4);
        if (8 + count * enc != is.length) {
            throw new RdbReader.Corrupt("its intset says it holds " + count + " integers but is " + is.length
                    + " bytes long");
        }
        return count;
    }

    /** A zipmap (hashes of Redis before 2.6): count byte, then key/value pairs with lengths, 0xFF. */
    static long zipmap(byte[] zm) throws RdbReader.Corrupt {
        int p = 1;
        long pairs = 0;
        try {
            while ((zm[p] & 0xff) != 0xff) {
                int[] at = {p};
                long key = zipmapLength(zm, at);
                p = (int) (at[0] + key);
                at[0] = p;
                long value = zipmapLength(zm, at);
                int free = zm[at[0]] & 0xff;
                p = (int) (at[0] + 1 + value + free);
                pairs++;
            }
        } catch (IndexOutOfBoundsException e) {
            throw new RdbReader.Corrupt("its zipmap runs past its end");
        }
        if (p != zm.length - 1) {
            throw new RdbReader.Corrupt("its zipmap has bytes after its end marker");
        }
        return pairs;
    }

    private static long zipmapLength(byte[] zm, int[] at) {
        int b = zm[at[0]] & 0xff;
        if (b < 254) {
            at[0]++;
            return b;
        }
        long v = u32(zm, at[0] + 1);
        at[0] += 5;
        return v;
    }
}
