/* The "bare libpcap read loop" peer of tests/bench/capture-bench.sh: pcap_next_ex over a whole file,
 * touching nothing but the header, so it measures what reading a capture costs at the least. */
#include <pcap/pcap.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    char err[PCAP_ERRBUF_SIZE];
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 2;
    }
    pcap_t *p = pcap_open_offline(argv[1], err);
    if (p == NULL) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    struct pcap_pkthdr *h;
    const u_char *data;
    unsigned long long packets = 0, bytes = 0;
    int rc;
    while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
        packets++;
        bytes += h->caplen;
    }
    if (rc == PCAP_ERROR) {
        fprintf(stderr, "%s\n", pcap_geterr(p));
    }
    pcap_close(p);
    printf("%llu packets %llu bytes\n", packets, bytes);
    return 0;
}
