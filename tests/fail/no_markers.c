/* A C file with definitions but without the BEGIN/END BYTECODES markers. */

        inst(NOWHERE, (--)) {
        }
