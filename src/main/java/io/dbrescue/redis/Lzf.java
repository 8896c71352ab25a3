package io.dbrescue.redis;

/**
 * LZF decompression (the format of liblzf's lzf_d.c, which Redis uses for strings and encoded values
 * in RDB files). Only small blobs are decompressed, to validate them; a byte that points outside the
 * input or output is damage, reported as such. Hand-written because it is 25 lines and the Java LZF
 * libraries wrap it in a chunk format of their own.
 */
final class Lzf {
    private Lzf() {
    }

    static byte[] decompress(byte[] in, int outLength) throws RdbReader.Corrupt {
        byte[] out = new byte[outLength];
        int ip = 0;
        int op = 0;
        try {
            while (ip < in.length) {
                int ctrl = in[ip++] & 0xff;
                if (ctrl < 32) { // a literal run of ctrl + 1 bytes
                    System.arraycopy(in, ip, out, op, ctrl + 1);
                    ip += ctrl + 1;
                    op += ctrl + 1;
                    continue;
                }
                int len = ctrl >> 5; // a back reference
                int ref = op - ((ctrl & 0x1f) << 8) - 1;
                if (len == 7) {
                    len += in[ip++] & 0xff;
                }
                ref -= in[ip++] & 0xff;
                len += 2;
                if (ref < 0 || op + len > outLength) {
                    throw new RdbReader.Corrupt("LZF-compressed data points outside itself");
                }
                for (int k = 0; k < len; k++) {
                    out[op++] = out[ref++];
                }
            }
        } catch (IndexOutOfBoundsException e) {
            throw new RdbReader.Corrupt("LZF-compressed data does not decompress to its stated length");
        }
        if (op != outLength) {
            throw new RdbReader.Corrupt("LZF-compressed data decompresses to " + op + " bytes, not the stated "
                    + outLength);
        }
        return out;
    }
}
