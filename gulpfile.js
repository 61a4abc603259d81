// Copies node and credential icons into dist/: tsc compiles TypeScript only.
const path = require('path');
const { task, src, dest, parallel } = require('gulp');

function copyFrom(folder) {
	const copy = () =>
		src(path.resolve(folder, '**', '*.{png,svg}'), { encoding: false }).pipe(
			dest(path.resolve('dist', folder)),
		);
	copy.displayName = `copy ${folder} icons`;
	return copy;
}

task('build:icons', parallel(copyFrom('nodes'), copyFrom('credentials')));
