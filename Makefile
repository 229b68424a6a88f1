# The two commands of the README: `make run` and `make test`. Each installs what is missing first.
PRESET ?= release
BUILD_DIR := build/$(PRESET)

.PHONY: all setup build run test test-asan bench format lint clean

all: build

setup:
	@scripts/setup

build: setup
	@cd web && npm run --silent build -- --logLevel warn
	@test -f $(BUILD_DIR)/build.ninja || cmake --preset $(PRESET)
	@cmake --build --preset $(PRESET)
	@ln -sfn $(PRESET)/unyo build/unyo

run: build
	@test -f var/config.json || build/unyo init --data-dir var
	@echo "unyo: open http://127.0.0.1:8080 and sign in as admin with the password printed at init"
	build/unyo serve --data-dir var --listen 127.0.0.1:8080

test: build
	@scripts/test

# The unit, storage and API tests again on an AddressSanitizer + UBSan build (CI runs it too).
test-asan: build
	@test -f build/asan/build.ninja || cmake --preset asan
	@cmake --build --preset asan
	@PRESET=asan UNYO_TEST_BIN="$(CURDIR)/build/asan/unyo" UNYO_SKIP_E2E=1 \
		ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 scripts/test

bench: build
	@scripts/bench

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

lint: build
	@git ls-files 'src/*.cpp' | xargs clang-tidy -p $(BUILD_DIR) --quiet

clean:
	rm -rf build
