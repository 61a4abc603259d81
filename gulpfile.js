// Copies the icons into dist/: tsc compiles TypeScript only. Nodes and credentials refer to them
// as file:../../icons/<name>.svg and file:../icons/<name>.svg, so they keep one copy each.
const path = require('path');
const { task, src, dest } = require('gulp');

function copyIcons() {
	return src(path.resolve('icons', '*.{png,svg}'), { encoding: false }).pipe(
		dest(path.resolve('dist', 'icons')),
	);
}

task('build:icons', copyIcons);
