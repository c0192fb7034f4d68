# CPU per probe and Pulse's schedule lag p99 against the number of targets (one probe per
# target per second). usage: gnuplot -e "tsv='X.tsv'; png='X.png'" bench/plot.gp
set terminal pngcairo size 1200,480 font ",10" noenhanced
set output png
set datafile separator "\t"
set multiplot layout 1,2 title "Pulse benchmark (bench/run.sh)"
set logscale xy
set xlabel "targets (= probes/s)"
set grid
set key top right
set ylabel "CPU per probe (µs, log)"
set title "CPU per probe"
plot tsv using ($2):(strcol(1) eq "Pulse_pooled" ? $3 : 1/0) with linespoints lw 2 pt 7 title "Pulse pooled", \
     tsv using ($2):(strcol(1) eq "Pulse_fresh-connection" ? $3 : 1/0) with linespoints pt 5 title "Pulse fresh-connection", \
     tsv using ($2):(strcol(1) eq "blackbox_exporter" ? $3 : 1/0) with linespoints pt 9 title "blackbox_exporter", \
     tsv using ($2):(strcol(1) eq "wrk_paced" ? $3 : 1/0) with linespoints pt 13 title "wrk paced"
unset logscale y
set logscale x
set ylabel "ms"
set yrange [0:*]
set title "Pulse's schedule lag p99"
plot tsv using ($2):(strcol(1) eq "Pulse_pooled" ? $4 : 1/0) with linespoints lw 2 pt 7 title "Pulse pooled", \
     tsv using ($2):(strcol(1) eq "Pulse_fresh-connection" ? $4 : 1/0) with linespoints pt 5 title "Pulse fresh-connection"
unset multiplot
